/**
 * Which block-device config a build uses (dib-elements.md §12.1, §12.4):
 * DIB_BLOCK_DEVICE_CONFIG (`file://` or literal YAML), else the built-in layout
 * the element list asks for, else DIB's fallback: an unpartitioned filesystem.
 * (Elements shipping their own block-device-default.yaml are resolved by the
 * pipeline, which can pass the text in DIB_BLOCK_DEVICE_CONFIG.)
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The root partition's mkfs (type, label and options come from FS_TYPE & co, §12.2). */
const ROOT_MKFS = `        mkfs:
          mount:
            mount_point: /
            fstab:
              options: "defaults"
              fsck-passno: 1`;

const BARE = `
- local_loop:
    name: image0
- mkfs:
    name: mkfs_root
    base: image0
    mount:
      mount_point: /
      fstab:
        options: "defaults"
        fsck-passno: 1
`;

const MBR = `
- local_loop:
    name: image0
- partitioning:
    base: image0
    label: mbr
    partitions:
      - name: root
        flags: [ boot, primary ]
        size: 100%
${ROOT_MKFS}
`;

const GPT = `
- local_loop:
    name: image0
- partitioning:
    base: image0
    label: gpt
    partitions:
      - name: BSP
        type: 'EF02'
        size: 8MiB
      - name: root
        type: '8300'
        size: 100%
${ROOT_MKFS}
`;

/** The GPT head of DIB's efi layouts: the ESP at /boot/efi and the BIOS boot partition. */
const ESP_AND_BSP = `
- local_loop:
    name: image0
- partitioning:
    base: image0
    label: gpt
    partitions:
      - name: ESP
        type: 'EF00'
        size: 550MiB
        mkfs:
          type: vfat
          mount:
            mount_point: /boot/efi
            fstab:
              options: "defaults"
              fsck-passno: 2
      - name: BSP
        type: 'EF02'
        size: 8MiB`;

const EFI = `${ESP_AND_BSP}
      - name: root
        type: '8300'
        size: 100%
${ROOT_MKFS}
`;

/** block-device-efi-4k: the efi layout on 4 KiB logical sectors (ESP 500 MiB, as DIB's element). */
const EFI_4K = EFI.replace('    name: image0\n', '    name: image0\n    block_size: 4096\n').replace('size: 550MiB', 'size: 500MiB');

/** block-device-efi-lvm, as DIB's element: ESP, BIOS boot, a 40G PV holding root, /var and /home (xfs). */
const EFI_LVM = `${ESP_AND_BSP}
      - name: root
        flags: [ boot ]
        size: 40G
- lvm:
    name: lvm
    base: [ root ]
    pvs:
      - name: pv
        base: root
        options: [ "--force" ]
    vgs:
      - name: vg
        base: [ "pv" ]
        options: [ "--force" ]
    lvs:
      - name: lv_root
        base: vg
        extents: 23%VG
      - name: lv_var
        base: vg
        extents: 57%VG
      - name: lv_home
        base: vg
        extents: 20%VG
- mkfs:
    name: fs_root
    base: lv_root
    type: xfs
    label: "img-rootfs"
    mount:
      mount_point: /
      fstab:
        options: "rw,relatime"
        fsck-passno: 1
- mkfs:
    name: fs_var
    base: lv_var
    type: xfs
    mount:
      mount_point: /var
      fstab:
        options: "rw,relatime"
        fsck-passno: 2
- mkfs:
    name: fs_home
    base: lv_home
    type: xfs
    mount:
      mount_point: /home
      fstab:
        options: "rw,nodev,relatime"
        fsck-passno: 2
`;

export type LayoutName = 'bare' | 'mbr' | 'gpt' | 'efi' | 'efi-4k' | 'efi-lvm' | 'custom';

export async function blockDeviceConfig(elements: readonly string[], env: Record<string, string>): Promise<{ layout: LayoutName; yaml: string }> {
  const configured = env.DIB_BLOCK_DEVICE_CONFIG?.trim();
  if (configured) {
    const yaml = configured.startsWith('file://') ? await readFile(fileURLToPath(configured), 'utf8') : configured;
    return { layout: 'custom', yaml };
  }
  const layout = defaultLayout(elements);
  return { layout, yaml: { bare: BARE, mbr: MBR, gpt: GPT, efi: EFI, 'efi-4k': EFI_4K, 'efi-lvm': EFI_LVM }[layout] };
}

/** `vm` pulls in block-device-mbr unless another block-device-* element is listed (DIB's checklist, §19). */
export function defaultLayout(elements: readonly string[]): Exclude<LayoutName, 'custom'> {
  if (elements.includes('block-device-efi-4k')) return 'efi-4k';
  if (elements.includes('block-device-efi-lvm')) return 'efi-lvm';
  if (elements.some((e) => e.startsWith('block-device-efi'))) return 'efi';
  if (elements.includes('block-device-gpt')) return 'gpt';
  if (elements.includes('block-device-mbr') || elements.includes('vm')) return 'mbr';
  return 'bare';
}
