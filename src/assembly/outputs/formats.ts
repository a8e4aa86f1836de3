/**
 * Output formats: how each is produced and the file name DIB gives it.
 * `squashfs` is `.squash` as in DIB; `docker` (DIB pipes to `docker import`
 * and writes nothing) is a tar file `<base>.docker` ready for `docker import`.
 */
import { AssemblyError } from '../assembly-error.js';

export type Producer = 'raw' | 'qemu' | 'tar' | 'squashfs';

const TAR_FORMATS = new Set(['tar', 'tgz', 'docker']);
/** Formats qemu-img writes (any other name is passed to qemu-img as is, like DIB's generic branch). */
const QEMU_KNOWN = new Set(['qcow2', 'vhd', 'vmdk', 'vdi', 'qed', 'vhdx']);

export function producerOf(format: string): Producer {
  if (format === 'raw') return 'raw';
  if (TAR_FORMATS.has(format)) return 'tar';
  if (format === 'squashfs') return 'squashfs';
  if (QEMU_KNOWN.has(format)) return 'qemu';
  if (/^[a-z0-9]+$/.test(format)) return 'qemu';
  throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', `unknown output format "${format}"`);
}

export function extensionOf(format: string): string {
  return format === 'squashfs' ? 'squash' : format;
}

/** Formats needing the partitioned/filesystem image (everything but the tree-based ones). */
export function needsDiskImage(formats: readonly string[]): boolean {
  return formats.some((f) => producerOf(f) === 'raw' || producerOf(f) === 'qemu');
}
