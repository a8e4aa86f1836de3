/**
 * GRUB without grub-install on a device (there is no whole-disk device here):
 * grub.cfg and modules go into the tree before the filesystems are made; the
 * BIOS core.img is built with the host's grub-mkimage and written, with a
 * patched boot.img, straight into the image file afterwards — what
 * grub-bios-setup would do; the EFI binary is built into the ESP's tree.
 */
import { cp, mkdir, readFile, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrubPlan } from './grub-plan.js';
import { findKernel } from './find-kernel.js';
import { renderEarlyConfig, renderGrubConfig } from './grub-config.js';
import { runTool, type ToolContext } from '../run-tool.js';
import { AssemblyError } from '../assembly-error.js';
import { writeAt } from '../image-bytes.js';

const GRUB_LIB = '/usr/lib/grub';
const BASE_MODULES = ['part_msdos', 'part_gpt', 'search', 'search_label', 'normal', 'linux', 'serial', 'terminal', 'configfile', 'echo', 'test', 'gzio'];
const FS_MODULE: Record<string, string> = { ext2: 'ext2', ext3: 'ext2', ext4: 'ext2', xfs: 'xfs', vfat: 'fat' };

/** Writes grub.cfg, the modules and (EFI) BOOTX64.EFI into the tree; returns the BIOS core.img path, if any. */
export async function prepareGrub(ctx: ToolContext, rootDir: string, workDir: string, plan: GrubPlan, env: Record<string, string>): Promise<string | undefined> {
  const kernel = await findKernel(rootDir);
  const grubDir = join(rootDir, 'boot/grub');
  await mkdir(grubDir, { recursive: true });
  const cfg = renderGrubConfig({ kernel, bootPath: plan.bootPath, bootLabel: plan.bootFs.label, rootLabel: plan.rootFs.label, env });
  await writeFile(join(grubDir, 'grub.cfg'), cfg);
  const early = join(workDir, 'grub-early.cfg');
  await writeFile(early, renderEarlyConfig(plan.bootFs.label, plan.bootPath));
  const modules = [...BASE_MODULES, ...(plan.lvm ? ['lvm'] : []), FS_MODULE[plan.bootFs.type] ?? 'ext2'];
  let coreImg: string | undefined;
  if (plan.bios) {
    await cp(join(GRUB_LIB, 'i386-pc'), join(grubDir, 'i386-pc'), { recursive: true });
    coreImg = join(workDir, 'core.img');
    await runTool(ctx, 'grub-mkimage', ['-O', 'i386-pc', '-o', coreImg, '-c', early, '-p', `${plan.bootPath}/grub`, 'biosdisk', ...modules]);
    const sectors = Math.ceil((await stat(coreImg)).size / 512);
    if (sectors > plan.bios.maxSectors) {
      throw new AssemblyError('KILN_ASSEMBLY_TOO_SMALL', `GRUB core.img needs ${sectors} sectors, only ${plan.bios.maxSectors} free at sector ${plan.bios.coreSector}`);
    }
  }
  if (plan.efi) {
    await cp(join(GRUB_LIB, 'x86_64-efi'), join(grubDir, 'x86_64-efi'), { recursive: true });
    const bootDir = join(rootDir, 'boot/efi/EFI/BOOT');
    await mkdir(bootDir, { recursive: true });
    await runTool(ctx, 'grub-mkimage', ['-O', 'x86_64-efi', '-o', join(bootDir, 'BOOTX64.EFI'), '-c', early, '-p', `${plan.bootPath}/grub`, 'efi_gop', 'all_video', ...modules]);
  }
  return coreImg;
}

// Offsets in GRUB's i386-pc boot.img / diskboot (include/grub/i386/pc/boot.h).
const KERNEL_SECTOR = 0x5c; // u64: LBA of core.img's first sector
const DRIVE_CHECK = 0x66; // jmp over the "buggy BIOS" drive fix; grub-bios-setup NOPs it for hard disks
const BLOCKLIST_START = 0x200 - 12; // u64 in core.img's first sector: LBA of the rest of core.img

/** boot.img's 440 code bytes into sector 0 (the partition table stays), core.img at its sector. */
export async function writeBiosBootCode(image: string, coreImg: string, coreSector: number): Promise<void> {
  const boot = await readFile(join(GRUB_LIB, 'i386-pc/boot.img'));
  const core = await readFile(coreImg);
  boot.writeBigUInt64LE(BigInt(coreSector), KERNEL_SECTOR);
  boot[DRIVE_CHECK] = 0x90;
  boot[DRIVE_CHECK + 1] = 0x90;
  core.writeBigUInt64LE(BigInt(coreSector + 1), BLOCKLIST_START);
  await writeAt(image, [{ offset: 0, bytes: boot.subarray(0, 440) }, { offset: coreSector * 512, bytes: core }]);
}
