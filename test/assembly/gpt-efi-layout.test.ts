/**
 * block-device-efi: GPT with ESP (vfat, GRUB EFI binary), BIOS boot partition
 * (GRUB core.img, boot.img patched to find it) and root ext4, all built
 * without loops or mounts, then inspected with sfdisk, mtools and e2fsprogs.
 */
import { execa } from 'execa';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleImage } from '../../src/assembly/assemble.js';
import type { AssemblyResult } from '../../src/assembly/types.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { makeTinyTree } from './support/tiny-tree.js';
import { MemoryTracker } from './support/memory-tracker.js';

interface SfdiskPartition { start: number; size: number; type: string; name: string }

describe('GPT + EFI layout (block-device-efi)', () => {
  let scratch: Scratch;
  let result: AssemblyResult;
  let parts: SfdiskPartition[];
  const tracker = new MemoryTracker();

  beforeAll(async () => {
    scratch = await makeScratch('efi');
    await makeTinyTree(scratch.root, { withKernel: true });
    result = await assembleImage({
      rootDir: scratch.root,
      outputBase: join(scratch.out, 'efi'),
      formats: ['raw'],
      elements: ['fake-os', 'vm', 'block-device-efi'],
      env: {},
      checksums: [],
      workDir: scratch.work,
      resources: tracker,
      log: () => {},
    });
    const dump = JSON.parse((await execa('sfdisk', ['--json', result.outputs.raw as string])).stdout) as { partitiontable: { label: string; partitions: SfdiskPartition[] } };
    expect(dump.partitiontable.label).toBe('gpt');
    parts = dump.partitiontable.partitions;
  }, 120_000);

  afterAll(async () => {
    await scratch?.remove();
  });

  it('has ESP, BIOS boot and root partitions in DIB’s order and sizes', async () => {
    expect(parts.map((p) => [p.name, p.type, p.start, p.size])).toEqual([
      ['ESP', 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B', 2048, 550 * 2048],
      ['BSP', '21686148-6449-6E6F-744E-656564454649', 2048 + 550 * 2048, 8 * 2048],
      ['root', '0FC63DAF-8483-4772-8E79-3D69E4C0BA4A', 2048 + 558 * 2048, expect.any(Number)],
    ]);
    await execa('sfdisk', ['--verify', result.outputs.raw as string]);
  });

  it('the ESP is a vfat filesystem with GRUB’s removable-path EFI binary', async () => {
    const esp = `${result.outputs.raw}@@${(parts[0] as SfdiskPartition).start * 512}`;
    const env = { MTOOLS_SKIP_CHECK: '1' };
    expect((await execa('mdir', ['-i', esp, '-b', '::/EFI/BOOT'], { env })).stdout).toContain('BOOTX64.EFI');
    const efi = (await execa('mtype', ['-i', esp, '::/EFI/BOOT/BOOTX64.EFI'], { env, encoding: 'buffer' })).stdout;
    expect(Buffer.from(efi).subarray(0, 2).toString()).toBe('MZ');
    expect((await execa('mlabel', ['-i', esp, '-s', '::'], { env })).stdout).toContain('MKFS_ESP');
  });

  it('the root filesystem has the fstab, grub.cfg and modules, and an empty /boot/efi', async () => {
    const root = `${result.outputs.raw}?offset=${(parts[2] as SfdiskPartition).start * 512}`;
    await execa('e2fsck', ['-fn', root]);
    const cat = async (path: string) => (await execa('debugfs', ['-R', `cat ${path}`, root])).stdout;
    expect(await cat('/etc/fstab')).toBe('LABEL=cloudimg-rootfs / ext4 defaults 0 1\nLABEL=MKFS_ESP /boot/efi vfat defaults 0 2');
    expect(await cat('/boot/grub/grub.cfg')).toContain('linux /boot/vmlinuz-6.1.0-10-amd64 root=LABEL=cloudimg-rootfs');
    const ls = async (path: string) => (await execa('debugfs', ['-R', `ls -p ${path}`, root])).stdout;
    expect(await ls('/boot/grub/i386-pc')).toContain('/normal.mod/');
    expect((await ls('/boot/efi')).split('\n').filter((l) => l.trim()).length).toBe(2); // just . and ..
    // the tree itself is unchanged: its /boot/efi content is back in place
    expect(await readFile(join(scratch.root, 'boot/efi/EFI/BOOT/BOOTX64.EFI'))).toBeTruthy();
  });

  it('boot.img points at core.img in the BIOS boot partition, and core.img at its own next sector', async () => {
    const fh = await open(result.outputs.raw as string, 'r');
    try {
      const mbr = Buffer.alloc(512);
      await fh.read(mbr, 0, 512, 0);
      const bsp = (parts[1] as SfdiskPartition).start;
      expect(mbr.readBigUInt64LE(0x5c)).toBe(BigInt(bsp));
      expect(mbr.readUInt16LE(510)).toBe(0xaa55);
      const core = Buffer.alloc(512);
      await fh.read(core, 0, 512, bsp * 512);
      expect(core.readBigUInt64LE(0x200 - 12)).toBe(BigInt(bsp + 1));
    } finally {
      await fh.close();
    }
    expect([...tracker.held.values()]).toEqual([]);
  });
});
