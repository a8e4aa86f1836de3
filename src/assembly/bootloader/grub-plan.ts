/**
 * Where GRUB goes for a disk plan (pure): BIOS core.img right after the MBR
 * (before the first partition) or into the GPT BIOS-boot partition (EF02); the
 * EFI binary into the vfat filesystem mounted at /boot/efi. DIB installs both
 * for block-device-efi on x86 (hybrid BIOS+UEFI).
 */
import type { DiskPlan, FilesystemPlan } from '../block-device/disk-plan.js';
import { GPT_BIOS_BOOT } from '../block-device/partition-types.js';
import { AssemblyError } from '../assembly-error.js';

export interface GrubPlan {
  bios?: { coreSector: number; maxSectors: number };
  efi?: { esp: FilesystemPlan };
  /** the filesystem holding /boot (a separate /boot, else the root fs) */
  bootFs: FilesystemPlan;
  rootFs: FilesystemPlan;
  /** /boot as GRUB sees it on bootFs */
  bootPath: string;
  /** /boot may be on a logical volume: GRUB needs its lvm module (DIB always adds it) */
  lvm: boolean;
}

/** undefined: no bootloader (DIB: "No bootloader installation will occur" without a partitioned disk). */
export function planGrub(disk: DiskPlan, elements: readonly string[]): GrubPlan | undefined {
  const wanted = elements.includes('bootloader') || elements.includes('vm');
  if (!wanted || !disk.table) return undefined;
  const rootFs = disk.filesystems.find((f) => f.mountPoint === '/');
  if (!rootFs) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', 'a bootloader needs a filesystem mounted at /');
  const separateBoot = disk.filesystems.find((f) => f.mountPoint === '/boot');
  const bootFs = separateBoot ?? rootFs;
  const parts = disk.table.partitions;
  let bios: GrubPlan['bios'];
  if (disk.table.label === 'mbr') {
    // core.img fits between the MBR and the first partition or EBR
    const first = Math.min(...parts.map((p) => Math.min(p.startSector, p.ebrSector ?? Infinity)));
    bios = { coreSector: 1, maxSectors: first - 1 };
  } else if (disk.sectorSize === 512) {
    const bsp = parts.find((p) => p.type === GPT_BIOS_BOOT);
    if (bsp) bios = { coreSector: bsp.startSector, maxSectors: bsp.sizeSectors };
  }
  // 4 KiB-sector disks boot through UEFI only: PC BIOSes read 512-byte sectors, so
  // GRUB's i386-pc boot code is not written there (the BIOS boot partition stays, as in DIB's layout).
  const esp = disk.filesystems.find((f) => f.mountPoint === '/boot/efi' && f.type === 'vfat');
  if (!bios && !esp) {
    throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', disk.sectorSize === 512
      ? 'GPT layout without a BIOS boot partition (EF02) or an ESP at /boot/efi: nowhere to install GRUB'
      : `a ${disk.sectorSize}-byte-sector disk boots through UEFI only, and this layout has no ESP at /boot/efi`);
  }
  return { ...(bios ? { bios } : {}), ...(esp ? { efi: { esp } } : {}), bootFs, rootFs, bootPath: separateBoot ? '' : '/boot', lvm: disk.lvm !== undefined };
}
