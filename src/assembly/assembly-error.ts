import { KilnError } from '../errors/kiln-error.js';

/** Stable codes for disk assembly failures (what `--json` output and build records carry). */
export type AssemblyErrorCode =
  | 'KILN_ASSEMBLY_BAD_CONFIG' // DIB_BLOCK_DEVICE_CONFIG invalid (bad YAML, unknown plugin, bad graph)
  | 'KILN_ASSEMBLY_BAD_OPTION' // an option or env value cannot be honoured (size syntax, qcow2 options)
  | 'KILN_ASSEMBLY_TOO_SMALL' // the partitions/filesystems do not fit the image size
  | 'KILN_ASSEMBLY_UNSUPPORTED' // a valid DIB feature Kiln does not implement (lvm, swap, >4 MBR partitions…)
  | 'KILN_ASSEMBLY_NO_KERNEL' // a bootloader was requested but the tree has no /boot/vmlinuz-*
  | 'KILN_ASSEMBLY_TOOL_FAILED' // a host tool (mkfs, sfdisk, qemu-img, tar…) exited non-zero
  | 'KILN_ASSEMBLY_CANCELLED'; // the request's AbortSignal fired

const PERMANENT: ReadonlySet<AssemblyErrorCode> = new Set([
  'KILN_ASSEMBLY_BAD_CONFIG',
  'KILN_ASSEMBLY_BAD_OPTION',
  'KILN_ASSEMBLY_TOO_SMALL',
  'KILN_ASSEMBLY_UNSUPPORTED',
  'KILN_ASSEMBLY_NO_KERNEL',
]);

export class AssemblyError extends KilnError {
  constructor(code: AssemblyErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause, permanent: PERMANENT.has(code) });
  }
}
