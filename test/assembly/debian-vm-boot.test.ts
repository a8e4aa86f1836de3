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
import { bootTest } from '../../src/assembly/boot-test.js';
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

  it('builds an MBR + GRUB BIOS image that boots to a login prompt', async () => {
    const tracker = new MemoryTracker();
    const result = await assembleImage({
      rootDir: scratch.root,
      outputBase: join(scratch.out, 'debian-0000000001'),
      formats: ['raw'],
      elements: ['debian-minimal', 'vm'],
      env: { DIB_GRUB_TIMEOUT: '1' },
      checksums: ['md5', 'sha256'],
      workDir: scratch.work,
      resources: tracker,
      log: () => {},
    });
    expect([...tracker.held.values()]).toEqual([]);
    const boot = await bootTest({ image: result.outputs.raw as string, timeoutSeconds: 300, logFile: join(scratch.dir, 'serial.log') });
    const serial = await readFile(boot.logFile, 'latin1');
    expect(serial).toContain('Debian GNU/Linux 12');
    expect(serial).not.toContain('efi: EFI v');
    expect(boot).toMatchObject({ ok: true, reason: 'matched', matched: 'login:' });
  }, 900_000);

  it('builds a GPT + ESP image (block-device-efi) that boots through UEFI firmware to a login prompt', async () => {
    const tracker = new MemoryTracker();
    const result = await assembleImage({
      rootDir: scratch.root,
      outputBase: join(scratch.out, 'debian-efi-0000000001'),
      formats: ['raw'],
      elements: ['debian-minimal', 'vm', 'block-device-efi'],
      env: { DIB_GRUB_TIMEOUT: '1' },
      checksums: [],
      workDir: scratch.work,
      resources: tracker,
      log: () => {},
    });
    expect([...tracker.held.values()]).toEqual([]);
    const boot = await bootTest({ image: result.outputs.raw as string, firmware: 'uefi', timeoutSeconds: 400, logFile: join(scratch.dir, 'serial-efi.log') });
    const serial = await readFile(boot.logFile, 'latin1');
    expect(serial).toContain('efi: EFI v'); // the kernel was started by UEFI firmware, not SeaBIOS
    expect(serial).toMatch(/Mounted .*boot-efi\.mount/); // the ESP from the fstab
    expect(boot).toMatchObject({ ok: true, reason: 'matched', matched: 'login:' });
  }, 900_000);

  it('builds block-device-efi-4k (GPT on 4 KiB sectors) that boots through UEFI from a 4 KiB-sector disk', async () => {
    const tracker = new MemoryTracker();
    const result = await assembleImage({
      rootDir: scratch.root,
      outputBase: join(scratch.out, 'debian-4k-0000000001'),
      formats: ['raw'],
      elements: ['debian-minimal', 'vm', 'block-device-efi-4k'],
      env: { DIB_GRUB_TIMEOUT: '1' },
      checksums: [],
      workDir: scratch.work,
      resources: tracker,
      log: () => {},
    });
    expect([...tracker.held.values()]).toEqual([]); // the loop device used for the GPT is gone
    const fh = await open(result.outputs.raw as string, 'r');
    const header = Buffer.alloc(8);
    await fh.read(header, 0, 8, 4096).finally(() => fh.close());
    expect(header.toString('latin1')).toBe('EFI PART'); // the GPT header in LBA 1 of 4 KiB
    const boot = await bootTest({ image: result.outputs.raw as string, firmware: 'uefi', blockSize: 4096, timeoutSeconds: 400, logFile: join(scratch.dir, 'serial-4k.log') });
    const serial = await readFile(boot.logFile, 'latin1');
    expect(serial).toContain('efi: EFI v');
    expect(serial).toMatch(/Mounted .*boot-efi\.mount/);
    expect(boot).toMatchObject({ ok: true, reason: 'matched', matched: 'login:' });
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
