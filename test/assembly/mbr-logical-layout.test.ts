/**
 * A DIB_BLOCK_DEVICE_CONFIG with more than four MBR partitions: two primaries,
 * then logical partitions (root and /var among them) in DIB's extended chain,
 * all built without loops or device-mapper, with GRUB BIOS in front of the
 * first EBR. Inspected with sfdisk, e2fsck and debugfs at each offset.
 */
import { execa } from 'execa';
import type { AssemblyResult } from '../../src/assembly/types.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { assembleCustomLayout } from './support/custom-layout.js';
import { MemoryTracker } from './support/memory-tracker.js';

const CONFIG = `
- local_loop:
    name: image0
    size: 256MiB
- partitioning:
    base: image0
    label: mbr
    partitions:
      - name: boot
        flags: [boot, primary]
        size: 48MiB
        mkfs: {type: ext4, label: boot, mount: {mount_point: /boot, fstab: {options: defaults}}}
      - name: spare
        flags: [primary]
        type: '0x82'
        size: 8MiB
        mkfs: {type: swap, label: swap, uuid: 5f0b6b4e-2d1c-4a43-9d6f-0c1a2b3c4d5e}
      - name: root
        size: 50%
        mkfs: {name: mkfs_root, type: ext4, opts: '-J size=8', mount: {mount_point: /, fstab: {options: defaults, fsck-passno: 1}}}
      - name: other
        size: 8MiB
      - name: var
        size: 100%
        mkfs: {type: ext4, label: var, mount: {mount_point: /var, fstab: {options: noatime}}}
`;

interface SfdiskPartition { node: string; start: number; size: number; type: string }

describe('MBR with logical partitions (DIB’s extended chain)', () => {
  let scratch: Scratch;
  let result: AssemblyResult;
  let parts: Record<number, SfdiskPartition>;
  const tracker = new MemoryTracker();

  beforeAll(async () => {
    scratch = await makeScratch('mbr-logical');
    result = await assembleCustomLayout(scratch, tracker, 'logical', ['fake-os', 'vm'], CONFIG);
    const dump = JSON.parse((await execa('sfdisk', ['--json', result.outputs.raw as string])).stdout) as { partitiontable: { label: string; partitions: SfdiskPartition[] } };
    expect(dump.partitiontable.label).toBe('dos');
    parts = Object.fromEntries(dump.partitiontable.partitions.map((p) => [Number(/(\d+)$/.exec(p.node)?.[1]), p]));
  }, 120_000);

  afterAll(async () => {
    await scratch?.remove();
  });

  it('has primaries 1-2, the extended container 3 and logicals 5-7, as DIB numbers them', async () => {
    expect(Object.keys(parts).map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(parts[3]?.type).toBe('f');
    await execa('sfdisk', ['--verify', result.outputs.raw as string]);
    expect([...tracker.held.values()]).toEqual([]);
  });

  it('the second primary is a swap area with its label and UUID (mkswap without a block device)', async () => {
    expect(parts[2]?.type).toBe('82');
    const probe = await execa('blkid', ['-p', '-O', String((parts[2] as SfdiskPartition).start * 512), '-o', 'export', result.outputs.raw as string]);
    expect(probe.stdout).toContain('TYPE=swap');
    expect(probe.stdout).toContain('LABEL=swap');
    expect(probe.stdout).toContain('UUID=5f0b6b4e-2d1c-4a43-9d6f-0c1a2b3c4d5e');
  });

  it('root and /var live in logical partitions, each filesystem clean and holding its own part of the tree', async () => {
    const at = (n: number) => `${result.outputs.raw}?offset=${(parts[n] as SfdiskPartition).start * 512}`;
    for (const n of [1, 5, 7]) await execa('e2fsck', ['-fn', at(n)]);
    expect((await execa('e2label', [at(5)])).stdout).toBe('cloudimg-rootfs');
    const cat = async (n: number, path: string) => (await execa('debugfs', ['-R', `cat ${path}`, at(n)])).stdout;
    expect(await cat(7, '/lib/marker')).toBe('in var');
    expect(await cat(1, '/vmlinuz-6.1.0-10-amd64')).toBe('kernel');
    expect(await cat(5, '/etc/fstab')).toBe([
      'LABEL=cloudimg-rootfs / ext4 defaults 0 1',
      'LABEL=boot /boot ext4 defaults 0 2',
      'LABEL=var /var ext4 noatime 0 2',
    ].join('\n'));
    expect(await cat(1, '/grub/grub.cfg')).toContain('root=LABEL=cloudimg-rootfs');
  });
});
