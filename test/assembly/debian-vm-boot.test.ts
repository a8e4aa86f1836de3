/**
 * The real thing: a Debian bookworm tree (debootstrap + kernel + systemd, cached
 * as a tarball under ~/.cache/kiln-test, built on the first run) assembled as a
 * `vm` image (MBR + loopless GRUB BIOS) and as a `block-device-efi` image (GPT,
 * ESP with GRUB EFI), each booted under TCG to a login prompt: SeaBIOS for the
 * first, OVMF (UEFI) for the second. ~40-70 s of CPU per boot.
 */
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleImage } from '../../src/assembly/assemble.js';
import { bootTest, type BootTestOptions, type BootTestResult } from '../../src/assembly/boot-test.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { debianTree } from './support/debian-tree.js';
import { MemoryTracker } from './support/memory-tracker.js';

describe('debian-minimal vm image', () => {
  let scratch: Scratch;

  beforeAll(async () => {
    scratch = await makeScratch('debian');
    await debianTree(scratch.root);
  }, 600_000);

  afterAll(async () => {
    await scratch?.remove();
  });

  /** Assembles the tree with `elements` (raw), checks nothing stayed attached, boots it; returns the image and the serial log. */
  async function buildAndBoot(name: string, elements: string[], boot: Omit<BootTestOptions, 'image' | 'logFile'>): Promise<{ image: string; serial: string; result: BootTestResult }> {
    const tracker = new MemoryTracker();
    const assembled = await assembleImage({
      rootDir: scratch.root,
      outputBase: join(scratch.out, `${name}-0000000001`),
      formats: ['raw'],
      elements: ['debian-minimal', 'vm', ...elements],
      env: { DIB_GRUB_TIMEOUT: '1' },
      checksums: ['md5', 'sha256'],
      workDir: scratch.work,
      resources: tracker,
      log: () => {},
    });
    expect([...tracker.held.values()]).toEqual([]); // no loop device (4 KiB GPT) or mount left
    const image = assembled.outputs.raw as string;
    const result = await bootTest({ image, timeoutSeconds: 400, logFile: join(scratch.dir, `serial-${name}.log`), ...boot });
    return { image, serial: await readFile(result.logFile, 'latin1'), result };
  }

  it('builds an MBR + GRUB BIOS image that boots to a login prompt', async () => {
    const { serial, result } = await buildAndBoot('debian', [], {});
    expect(serial).toContain('Debian GNU/Linux 12');
    expect(serial).not.toContain('efi: EFI v');
    expect(result).toMatchObject({ ok: true, reason: 'matched', matched: 'login:' });
  }, 900_000);

  it('builds a GPT + ESP image (block-device-efi) that boots through UEFI firmware to a login prompt', async () => {
    const { serial, result } = await buildAndBoot('debian-efi', ['block-device-efi'], { firmware: 'uefi' });
    expect(serial).toContain('efi: EFI v'); // the kernel was started by UEFI firmware, not SeaBIOS
    expect(serial).toMatch(/Mounted .*boot-efi\.mount/); // the ESP from the fstab
    expect(result).toMatchObject({ ok: true, reason: 'matched', matched: 'login:' });
  }, 900_000);

  it('builds block-device-efi-4k (GPT on 4 KiB sectors) that boots through UEFI from a 4 KiB-sector disk', async () => {
    const { image, serial, result } = await buildAndBoot('debian-4k', ['block-device-efi-4k'], { firmware: 'uefi', blockSize: 4096 });
    const fh = await open(image, 'r');
    const header = Buffer.alloc(8);
    await fh.read(header, 0, 8, 4096).finally(() => fh.close());
    expect(header.toString('latin1')).toBe('EFI PART'); // the GPT header in LBA 1 of 4 KiB
    expect(serial).toContain('efi: EFI v');
    expect(serial).toMatch(/Mounted .*boot-efi\.mount/);
    expect(result).toMatchObject({ ok: true, reason: 'matched', matched: 'login:' });
  }, 900_000);

  it('reports a timeout and kills its qemu when the text never appears', async () => {
    const blank = join(scratch.dir, 'blank.raw');
    await writeFile(blank, Buffer.alloc(1024 * 1024)); // no boot sector: SeaBIOS waits forever
    let pid = 0;
    const boot = await bootTest({ image: blank, timeoutSeconds: 4, expect: /login:/, logFile: join(scratch.dir, 'blank.log'), onProcess: (p) => { pid = p; } });
    expect(boot).toMatchObject({ ok: false, reason: 'timeout' });
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
