/**
 * grub.cfg as DIB's bootloader element would leave it after grub-mkconfig, but
 * written directly (no grub-mkconfig in the chroot, no os-prober): root by
 * label, serial + VGA console, DIB_BOOTLOADER_DEFAULT_CMDLINE.
 */
import type { KernelFiles } from './find-kernel.js';

export interface GrubConfigInput {
  kernel: KernelFiles;
  /** path of /boot as GRUB sees it on the boot filesystem: `/boot`, or `` when /boot is its own fs */
  bootPath: string;
  /** label of the filesystem holding /boot (GRUB searches it) */
  bootLabel: string;
  rootLabel: string;
  env: Record<string, string>;
}

export function kernelCmdline(rootLabel: string, env: Record<string, string>): string {
  const serial = env.DIB_BOOTLOADER_SERIAL_CONSOLE || 'ttyS0,115200';
  const extra = env.DIB_BOOTLOADER_DEFAULT_CMDLINE ?? 'nofb nomodeset gfxpayload=text';
  return [`root=LABEL=${rootLabel}`, 'ro', 'console=tty0', `console=${serial}`, 'no_timer_check', extra].filter(Boolean).join(' ');
}

export function renderGrubConfig(input: GrubConfigInput): string {
  const { kernel, bootPath, env } = input;
  const useSerial = !/^(false|0|no)$/i.test(env.DIB_BOOTLOADER_USE_SERIAL_CONSOLE ?? 'True');
  const timeout = env.DIB_GRUB_TIMEOUT ?? '5';
  const lines = ['# written by kiln: loopless GRUB install (no grub-mkconfig)', 'set default=0', `set timeout=${timeout}`];
  if (useSerial) {
    lines.push('serial --unit=0 --speed=115200 --word=8 --parity=no --stop=1', 'terminal_input serial console', 'terminal_output serial console');
  }
  lines.push(
    `search --no-floppy --label --set=root ${input.bootLabel}`,
    `menuentry 'Linux ${kernel.version}' {`,
    `  linux ${bootPath}/${kernel.kernel} ${kernelCmdline(input.rootLabel, env)}`,
  );
  if (kernel.initrd) lines.push(`  initrd ${bootPath}/${kernel.initrd}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** The config embedded in core.img / BOOTX64.EFI: find the boot fs by label, then normal mode reads grub.cfg. */
export function renderEarlyConfig(bootLabel: string, bootPath: string): string {
  return `search --no-floppy --label --set=root ${bootLabel}\nset prefix=($root)${bootPath}/grub\n`;
}
