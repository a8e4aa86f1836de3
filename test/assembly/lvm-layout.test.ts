/**
 * The lvm plugin without device-mapper: a GPT partition as physical volume,
 * one volume group, root and /var as logical volumes, made with LVM's
 * activation disabled and filesystems written at the byte ranges LVM gave
 * the volumes. Checked independently: the partition probes as an LVM2 PV, and
 * LVM (read through a read-only loop device) places root and /var exactly
 * where clean ext4 filesystems with the right content are. Nothing is left
 * attached, and the host's LVM never sees the volume group.
 */
import { execa } from 'execa';
import type { AssemblyResult } from '../../src/assembly/types.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { assembleCustomLayout } from './support/custom-layout.js';
import { MemoryTracker } from './support/memory-tracker.js';

const VG = `kilntest${process.pid}`;
const CONFIG = `
- local_loop:
    name: image0
    size: 256MiB
- partitioning:
    base: image0
    label: gpt
    partitions:
      - name: BSP
        type: 'EF02'
        size: 8MiB
      - name: root
        type: '8E00'
        size: 100%
- lvm:
    name: lvm
    base: [ root ]
    pvs:
      - name: pv
        base: root
        options: [ "--force" ]
    vgs:
      - name: ${VG}
        base: [ "pv" ]
    lvs:
      - name: lv_root
        base: ${VG}
        extents: 60%VG
      - name: lv_var
        base: ${VG}
        size: 64M
- mkfs:
    name: mkfs_root
    base: lv_root
    type: ext4
    opts: "-J size=4"
    mount:
      mount_point: /
      fstab: {options: "defaults", fsck-passno: 1}
- mkfs:
    name: fs_var
    base: lv_var
    type: ext4
    label: var
    mount:
      mount_point: /var
      fstab: {options: "rw,relatime", fsck-passno: 2}
`;

interface SfdiskPartition { start: number; size: number }
const LVM_CONFIG = (device: string) => `devices { filter = [ "a|^${device}$|", "r|.*|" ] use_devicesfile = 0 hints = "none" } global { activation = 0 } backup { backup = 0 archive = 0 }`;

describe('lvm plugin without device-mapper', () => {
  let scratch: Scratch;
  let result: AssemblyResult;
  let pvPartition: SfdiskPartition;
  const tracker = new MemoryTracker();

  beforeAll(async () => {
    scratch = await makeScratch('lvm');
    result = await assembleCustomLayout(scratch, tracker, 'lvm', ['fake-os', 'vm', 'block-device-gpt'], CONFIG);
    const dump = JSON.parse((await execa('sfdisk', ['--json', result.outputs.raw as string])).stdout) as { partitiontable: { partitions: SfdiskPartition[] } };
    pvPartition = dump.partitiontable.partitions[1] as SfdiskPartition;
  }, 120_000);

  afterAll(async () => {
    await scratch?.remove();
  });

  it('left no loop device attached and no volume group visible to the host', async () => {
    expect([...tracker.held.values()]).toEqual([]);
    expect(tracker.history.filter((r) => r.kind === 'loop').length).toBe(1); // the PV's, and only for LVM's commands
    const { stdout } = await execa('vgs', ['--noheadings', '-o', 'vg_name'], { reject: false, env: { LVM_SUPPRESS_FD_WARNINGS: '1' } });
    expect(stdout).not.toContain(VG);
  });

  it('root and /var are clean filesystems exactly where LVM placed the volumes', async () => {
    const image = result.outputs.raw as string;
    const partOffset = pvPartition.start * 512;
    expect((await execa('blkid', ['-p', '-O', String(partOffset), '-o', 'value', '-s', 'TYPE', image])).stdout).toBe('LVM2_member');
    const device = (await execa('losetup', ['--show', '-f', '-r', '-o', String(partOffset), '--sizelimit', String(pvPartition.size * 512), image])).stdout;
    let segs: Array<{ lv_name: string; seg_pe_ranges: string }>;
    let peStart: number;
    let extent: number;
    try {
      const run = async (cmd: string, fields: string, extra: string[] = []) => JSON.parse((await execa(cmd, ['--config', LVM_CONFIG(device), '--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', fields, ...extra], { env: { LVM_SUPPRESS_FD_WARNINGS: '1' } })).stdout) as { report: Array<Record<string, Array<Record<string, string>>>> };
      segs = (await run('lvs', 'lv_name,seg_pe_ranges', ['--segments'])).report[0]?.seg as typeof segs;
      peStart = Number((await run('pvs', 'pe_start')).report[0]?.pv?.[0]?.pe_start);
      extent = Number((await run('vgs', 'vg_extent_size')).report[0]?.vg?.[0]?.vg_extent_size);
    } finally {
      await execa('losetup', ['-d', device]);
    }
    const at = (lv: string) => {
      const seg = segs.find((s) => s.lv_name === lv) as { seg_pe_ranges: string };
      const first = Number(/:(\d+)-/.exec(seg.seg_pe_ranges)?.[1]);
      return `${image}?offset=${partOffset + peStart + first * extent}`;
    };
    await execa('e2fsck', ['-fn', at('lv_root')]);
    await execa('e2fsck', ['-fn', at('lv_var')]);
    const cat = async (lv: string, path: string) => (await execa('debugfs', ['-R', `cat ${path}`, at(lv)])).stdout;
    expect(await cat('lv_var', '/lib/marker')).toBe('in var');
    expect(await cat('lv_root', '/etc/fstab')).toBe('LABEL=cloudimg-rootfs / ext4 defaults 0 1\nLABEL=var /var ext4 rw,relatime 0 2');
    expect(await cat('lv_root', '/boot/grub/grub.cfg')).toContain('root=LABEL=cloudimg-rootfs');
  });
});
