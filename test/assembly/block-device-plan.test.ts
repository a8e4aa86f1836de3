import { parseBlockDeviceConfig } from '../../src/assembly/block-device/config-nodes.js';
import { blockDeviceConfig, defaultLayout } from '../../src/assembly/block-device/default-config.js';
import { planDisk, SECTOR } from '../../src/assembly/block-device/disk-plan.js';
import { computeImageSize } from '../../src/assembly/block-device/image-size.js';
import { parseDibSize, parseImageSize } from '../../src/assembly/block-device/sizes.js';
import { planGrub } from '../../src/assembly/bootloader/grub-plan.js';
import { sfdiskScript } from '../../src/assembly/block-device/partition-table.js';
import { renderFstab } from '../../src/assembly/block-device/fstab.js';
import { nestedMountPoints } from '../../src/assembly/block-device/make-filesystems.js';
import { GPT_BIOS_BOOT, GPT_ESP } from '../../src/assembly/block-device/partition-types.js';
import { isKilnError } from '../../src/errors/index.js';

const ROOT = { fsType: 'ext4', label: 'cloudimg-rootfs', opts: '-i 4096 -J size=64' };
const MIB = 1024 * 1024;
let n = 0;
const uuid = (): string => `uuid-${++n}`;

async function layoutNodes(elements: string[]) {
  return parseBlockDeviceConfig((await blockDeviceConfig(elements, {})).yaml);
}

describe('block-device config language', () => {
  it('names nested nodes like DIB (mkfs_root, mount_mkfs_root, fstab_mount_mkfs_root)', async () => {
    const nodes = await layoutNodes(['vm']);
    expect(nodes.map((x) => `${x.plugin}:${x.name}<${x.base ?? ''}`)).toEqual([
      'local_loop:image0<',
      'partitioning:partitioning_image0<image0',
      'mkfs:mkfs_root<root',
      'mount:mount_mkfs_root<mkfs_root',
      'fstab:fstab_mount_mkfs_root<mount_mkfs_root',
    ]);
  });

  it('accepts the graph form and hex partition types', () => {
    const nodes = parseBlockDeviceConfig(`
- local_loop: {name: image0}
- partitioning: {name: parts, base: image0, label: gpt, partitions: [{name: BSP, type: 0xEF02, size: 8MiB}, {name: root, size: 100%}]}
- mkfs: {name: mkfs_root, base: root, type: ext4}
- mount: {name: m, base: mkfs_root, mount_point: /}
`);
    const plan = planDisk(nodes, 100 * MIB, ROOT, uuid);
    expect(plan.table?.partitions[0]?.type).toBe(GPT_BIOS_BOOT);
    expect(plan.filesystems[0]?.mountPoint).toBe('/');
  });

  it.each([
    ['duplicate names', '- local_loop: {name: a}\n- mkfs: {name: a, base: a, type: ext4}', 'duplicate'],
    ['an undefined base', '- local_loop: {name: image0}\n- mkfs: {name: m, base: nope, type: ext4}', 'not defined'],
    ['an unknown plugin', '- frobnicate: {name: x}', 'unknown plugin'],
    ['not a list', 'local_loop: {}', 'YAML list'],
  ])('rejects %s', (_what, yaml, message) => {
    let caught: unknown;
    try {
      parseBlockDeviceConfig(yaml);
    } catch (err) {
      caught = err;
    }
    expect(isKilnError(caught, 'KILN_ASSEMBLY_BAD_CONFIG')).toBe(true);
    expect((caught as Error).message).toContain(message);
  });

  it('refuses lvm as unsupported, not as invalid', () => {
    const nodes = parseBlockDeviceConfig('- local_loop: {name: image0}\n- lvm: {name: lvm, base: image0}');
    expect(() => planDisk(nodes, 100 * MIB, ROOT, uuid)).toThrow(/lvm/);
  });

  it('picks the default layout from the elements', () => {
    expect(defaultLayout(['debian-minimal'])).toBe('bare');
    expect(defaultLayout(['debian-minimal', 'vm'])).toBe('mbr');
    expect(defaultLayout(['vm', 'block-device-efi'])).toBe('efi');
    expect(defaultLayout(['vm', 'block-device-gpt'])).toBe('gpt');
  });

  it('uses DIB_BLOCK_DEVICE_CONFIG when set', async () => {
    const r = await blockDeviceConfig(['vm'], { DIB_BLOCK_DEVICE_CONFIG: '- local_loop: {name: image0}' });
    expect(r.layout).toBe('custom');
  });
});

describe('disk plan', () => {
  it('bare layout: one ext4 filesystem over the whole image', async () => {
    const plan = planDisk(await layoutNodes([]), 64 * MIB, ROOT, uuid);
    expect(plan.table).toBeUndefined();
    expect(plan.filesystems).toEqual([
      expect.objectContaining({ name: 'mkfs_root', type: 'ext4', label: 'cloudimg-rootfs', offset: 0, size: 64 * MIB, mountPoint: '/', opts: ['-i', '4096', '-J', 'size=64'] }),
    ]);
  });

  it('MBR: one bootable root partition from 1 MiB, DIB leaving one alignment unit free at the end', async () => {
    const plan = planDisk(await layoutNodes(['vm']), 100 * MIB, ROOT, uuid);
    expect(plan.table).toEqual({ label: 'mbr', partitions: [{ name: 'root', index: 1, startSector: 2048, sizeSectors: (98 * MIB) / SECTOR, type: '83', bootable: true }] });
    expect(plan.filesystems[0]).toMatchObject({ offset: MIB, size: 98 * MIB, fstab: { options: 'defaults', dumpFreq: 0, fsckPassno: 1 } });
  });

  it('EFI: ESP 550 MiB vfat, BIOS boot 8 MiB, root the rest (minus the backup GPT)', async () => {
    const plan = planDisk(await layoutNodes(['vm', 'block-device-efi']), 1024 * MIB, ROOT, uuid);
    const [esp, bsp, root] = plan.table?.partitions ?? [];
    expect(esp).toMatchObject({ startSector: 2048, sizeSectors: (550 * MIB) / SECTOR, type: GPT_ESP });
    expect(bsp).toMatchObject({ startSector: 2048 + (550 * MIB) / SECTOR, sizeSectors: (8 * MIB) / SECTOR, type: GPT_BIOS_BOOT });
    expect(root?.startSector).toBe(2048 + (558 * MIB) / SECTOR);
    expect(((root?.startSector ?? 0) + (root?.sizeSectors ?? 0)) * SECTOR).toBeLessThanOrEqual(1024 * MIB - 33 * SECTOR);
    expect(plan.filesystems.map((f) => [f.type, f.label, f.mountPoint])).toEqual([
      ['vfat', 'MKFS_ESP', '/boot/efi'],
      ['ext4', 'cloudimg-rootfs', '/'],
    ]);
  });

  it('reports a too small image with DIB’s message', async () => {
    expect(() => planDisk(parseBlockDeviceConfig((`
- local_loop: {name: image0}
- partitioning: {base: image0, label: gpt, partitions: [{name: a, size: 200MiB}]}`)), 100 * MIB, ROOT, uuid)).toThrow(/smaller than the block device configuration/);
  });

  it('percent sizes take a share of DIB’s free space (what is left minus one alignment unit)', () => {
    const primaries = planDisk(parseBlockDeviceConfig(`
- local_loop: {name: image0}
- partitioning: {base: image0, label: mbr, partitions: [{name: a, size: 50%, flags: [primary]}, {name: b, size: 100%, flags: [primary]}]}`), 101 * MIB, ROOT, uuid);
    expect(primaries.table?.partitions.map((p) => [p.index, (p.sizeSectors * SECTOR) / MIB])).toEqual([[1, 49.5], [2, 49]]);
    // without `primary`, DIB makes them logical partitions: 5, 6, … each after its EBR
    const logicals = planDisk(parseBlockDeviceConfig(`
- local_loop: {name: image0}
- partitioning: {base: image0, label: mbr, partitions: [{name: a, size: 50%}, {name: b, size: 100%}]}`), 101 * MIB, ROOT, uuid);
    expect(logicals.table?.partitions.map((p) => [p.index, p.ebrSector, p.startSector, (p.sizeSectors * SECTOR) / MIB])).toEqual([[5, 2048, 4096, 49.5], [6, 106496, 108544, 48]]);
    expect(logicals.table?.extended).toEqual({ index: 1, startSector: 2048, sizeSectors: 206848 - 2048, alignSectors: 2048 });
  });

  it('renders the sfdisk script and the fstab by label', async () => {
    const plan = planDisk(await layoutNodes(['vm', 'block-device-efi']), 1024 * MIB, ROOT, uuid);
    const script = sfdiskScript(plan.table as NonNullable<typeof plan.table>);
    expect(script.split('\n')[0]).toBe('label: gpt');
    expect(script).toContain(`start=2048, size=${(550 * MIB) / SECTOR}, type=${GPT_ESP}, name="ESP"`);
    expect(renderFstab(plan.filesystems)).toBe('LABEL=cloudimg-rootfs / ext4 defaults 0 1\nLABEL=MKFS_ESP /boot/efi vfat defaults 0 2\n');
  });

  it('block-device-efi-4k: the efi layout on 4 KiB sectors (ESP 500 MiB), UEFI only', async () => {
    expect(defaultLayout(['vm', 'block-device-efi-4k'])).toBe('efi-4k');
    const plan = planDisk(await layoutNodes(['vm', 'block-device-efi-4k']), 1024 * MIB, ROOT, uuid);
    expect(plan.sectorSize).toBe(4096);
    const [esp, bsp, root] = plan.table?.partitions ?? [];
    expect(esp).toMatchObject({ startSector: 256, sizeSectors: (500 * MIB) / 4096, type: GPT_ESP });
    expect(bsp).toMatchObject({ startSector: 256 + (500 * MIB) / 4096, sizeSectors: (8 * MIB) / 4096 });
    // the backup GPT at the end: one header sector + 16 KiB of entries = 5 sectors of 4 KiB
    expect(((root?.startSector ?? 0) + (root?.sizeSectors ?? 0)) * 4096).toBeLessThanOrEqual(1024 * MIB - 5 * 4096);
    expect(plan.filesystems.find((f) => f.mountPoint === '/')?.offset).toBe((root?.startSector ?? 0) * 4096);
    const grub = planGrub(plan, ['vm', 'block-device-efi-4k']);
    expect(grub?.bios).toBeUndefined();
    expect(grub?.efi?.esp.label).toBe('MKFS_ESP');
  });

  it('DIB_BLOCK_SIZE overrides block_size; other sizes and MBR on 4 KiB sectors are refused', async () => {
    expect(planDisk(await layoutNodes(['vm', 'block-device-efi']), 1024 * MIB, ROOT, uuid, '4096').sectorSize).toBe(4096);
    expect(() => planDisk(parseBlockDeviceConfig('- local_loop: {name: image0, block_size: 1024}'), 64 * MIB, ROOT, uuid)).toThrow('local_loop block_size must be 512 or 4096, got 1024');
    const mbr = await layoutNodes(['vm']);
    expect(() => planDisk(mbr, 64 * MIB, ROOT, uuid, '2048')).toThrow('DIB_BLOCK_SIZE must be 512 or 4096, got 2048');
    expect(() => planDisk(mbr, 64 * MIB, ROOT, uuid, '4096')).toThrow('an MBR partition table needs 512-byte sectors (block_size 4096): use label gpt');
  });

  it('block-device-efi-lvm: DIB’s layout, filesystems on logical volumes placed at build time', async () => {
    expect(defaultLayout(['vm', 'block-device-efi-lvm'])).toBe('efi-lvm');
    const plan = planDisk(await layoutNodes(['vm', 'block-device-efi-lvm']), 42 * 1024 * MIB, ROOT, uuid);
    expect(plan.lvm?.pvs.map((p) => [p.name, p.partition.name, p.options])).toEqual([['pv', 'root', ['--force']]]);
    expect(plan.lvm?.vgs).toEqual([{ name: 'vg', pvs: ['pv'], options: ['--force'] }]);
    expect(plan.lvm?.lvs.map((l) => [l.name, l.vg, l.extents])).toEqual([['lv_root', 'vg', '23%VG'], ['lv_var', 'vg', '57%VG'], ['lv_home', 'vg', '20%VG']]);
    expect(plan.filesystems.map((f) => [f.label, f.type, f.mountPoint, f.lv])).toEqual([
      ['MKFS_ESP', 'vfat', '/boot/efi', undefined],
      ['img-rootfs', 'xfs', '/', 'lv_root'],
      ['fs_var', 'xfs', '/var', 'lv_var'],
      ['fs_home', 'xfs', '/home', 'lv_home'],
    ]);
  });

  it('lvm config errors use DIB’s words', () => {
    const lvm = (body: string) => () => planDisk(parseBlockDeviceConfig(`
- local_loop: {name: image0}
- partitioning: {base: image0, label: gpt, partitions: [{name: root, size: 100%}]}
- lvm:
    name: lvm
    base: [root]
${body}`), 100 * MIB, ROOT, uuid);
    expect(lvm('    pvs: [{name: pv, base: root}]\n    vgs: [{name: vg, base: [nope]}]\n    lvs: [{name: lv, base: vg, size: 8M}]')).toThrow('DIB_BLOCK_DEVICE_CONFIG: lvm: base:nope in vgs does not match a valid pvs');
    expect(lvm('    pvs: [{name: pv, base: root}]\n    vgs: [{name: vg, base: [pv]}]\n    lvs: [{name: lv, base: vg}]')).toThrow("DIB_BLOCK_DEVICE_CONFIG: lvm: Missing 'size' or 'extents' in lvs config");
    expect(lvm('    pvs: [{name: pv, base: root}]\n    vgs: [{name: vg, base: [pv]}]\n    lvs: [{name: lv, base: other, size: 8M}]')).toThrow('DIB_BLOCK_DEVICE_CONFIG: lvm: base:other in lvs does not match a valid vg');
    expect(lvm('    pvs: [{name: pv, base: root}]\n    vgs: [{name: "v g", base: [pv]}]\n    lvs: [{name: lv, base: "v g", size: 8M}]')).toThrow('"v g" is not a valid LVM name');
    expect(lvm('    pvs: [{name: pv, base: root}]\n    vgs: [{name: vg, base: [pv]}]')).toThrow("DIB_BLOCK_DEVICE_CONFIG: lvm: Lvm config needs 'lvs'");
  });

  it('swap areas: planned without a mount, refused with one', () => {
    const config = (mount: string) => parseBlockDeviceConfig(`
- local_loop: {name: image0}
- partitioning:
    base: image0
    label: mbr
    partitions:
      - {name: swap, flags: [primary], size: 8MiB, mkfs: {type: swap, label: swap${mount}}}
      - {name: root, flags: [primary], size: 100%, mkfs: {name: mkfs_root, mount: {mount_point: /}}}`);
    const plan = planDisk(config(''), 100 * MIB, ROOT, uuid);
    expect(plan.filesystems.find((f) => f.type === 'swap')).toMatchObject({ label: 'swap', offset: MIB, size: 8 * MIB });
    expect(plan.filesystems.find((f) => f.type === 'swap')?.mountPoint).toBeUndefined();
    expect(() => planDisk(config(', mount: {mount_point: /swap}'), 100 * MIB, ROOT, uuid)).toThrow('mkfs mkfs_swap: a swap area cannot be mounted (remove its mount node)');
  });

  it('finds the mount points nested below a filesystem', () => {
    const fs = (mountPoint: string) => ({ mountPoint }) as never;
    expect(nestedMountPoints('/', [fs('/'), fs('/boot'), fs('/boot/efi'), fs('/var')])).toEqual(['/var', '/boot'].sort((a, b) => a.length - b.length));
    expect(nestedMountPoints('/boot', [fs('/'), fs('/boot'), fs('/boot/efi')])).toEqual(['/boot/efi']);
  });
});

describe('sizes', () => {
  it('parses DIB block-device sizes (K/M/G decimal, KiB/MiB/GiB binary)', () => {
    expect(parseDibSize('550MiB', 'x')).toBe(550 * MIB);
    expect(parseDibSize('8M', 'x')).toBe(8e6);
    expect(parseDibSize('2GB', 'x')).toBe(2e9);
    expect(parseDibSize(4096, 'x')).toBe(4096);
    expect(() => parseDibSize('lots', 'x')).toThrow(/cannot parse/);
  });

  it('parses --image-size (plain number = GiB)', () => {
    expect(parseImageSize('2')).toBe(2 * 1024 * MIB);
    expect(parseImageSize('2048M')).toBe(2 * 1024 * MIB);
    expect(parseImageSize('1.5G')).toBe(1.5 * 1024 * MIB);
    expect(() => parseImageSize('big')).toThrow(/--image-size/);
  });

  const base = { rootFsType: 'ext4', journalMiB: 64, elements: [] as string[], fixedPartitionsBytes: 0, partitioned: false };
  it('computes DIB’s default size: tree ÷ 0.6 + journal, rounded to 64 KiB', () => {
    expect(computeImageSize({ ...base, treeKiB: 600_000 })).toBe(Math.ceil(((1_000_000 + 64 * 1024) * 1024) / 65536) * 65536);
  });
  it('uses extra GiB instead of ÷ 0.6, and a fixed size as is', () => {
    expect(computeImageSize({ ...base, treeKiB: 1024, extraGiB: 1 })).toBe((1024 + 1024 * 1024 + 64 * 1024) * 1024);
    expect(computeImageSize({ ...base, treeKiB: 1, fixedBytes: 2 * 1024 * MIB })).toBe(2 * 1024 * MIB);
  });
  it('adds room for the ESP and the partition table', () => {
    const plain = computeImageSize({ ...base, treeKiB: 600_000 });
    const efi = computeImageSize({ ...base, treeKiB: 600_000, elements: ['block-device-efi'], fixedPartitionsBytes: 558 * MIB, partitioned: true });
    expect(efi - plain).toBe(560 * MIB);
  });
});

describe('sizes for tiny trees', () => {
  it('leaves room for the ext4 journal (mke2fs wants it ≤ half the filesystem)', () => {
    const size = computeImageSize({ treeKiB: 4096, rootFsType: 'ext4', journalMiB: 64, elements: [], fixedPartitionsBytes: 0, partitioned: false });
    expect(size).toBeGreaterThanOrEqual((4096 + 2 * 64 * 1024) * 1024);
  });
});
