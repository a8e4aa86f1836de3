/**
 * Which checksum files a build writes, decided as DIB decides it.
 *
 * `--checksum` sets DIB_CHECKSUM=1: md5 and sha256. DIB's `finish_image`
 * reads DIB_CHECKSUM from the environment, so nodepool configs that set
 * `DIB_CHECKSUM: '1'` in env-vars get checksums without the option too.
 * Newer DIB also takes a list ("sha256", "md5,sha256"): accepted here.
 * "0", empty or unset: none. Anything else is refused with a clear error
 * (DIB silently writes nothing, which hides a typo until an upload lacks
 * its checksum).
 *
 * Which formats get them follows DIB as well (`checksummedFormat`): only the
 * images that pass through `finish_image` (raw, qcow2, vhd and other
 * qemu-img formats, tgz); DIB writes none for tar, docker and squashfs.
 * Kept as DIB does it: nodepool only reads checksums of the files it
 * uploads, and hashing a tar nobody verifies costs a core for seconds.
 */
import { AssemblyError } from '../assembly-error.js';

export type ChecksumKind = 'md5' | 'sha256';

/** In the order DIB writes them. */
export const ALL_CHECKSUMS: readonly ChecksumKind[] = ['md5', 'sha256'];

export function checksumKinds(value: string | undefined): ChecksumKind[] {
  const raw = (value ?? '').trim();
  if (raw === '' || raw === '0') return [];
  if (raw === '1') return [...ALL_CHECKSUMS];
  const wanted = new Set<ChecksumKind>();
  for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item !== 'md5' && item !== 'sha256') {
      throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', `DIB_CHECKSUM must be 0, 1 or a comma list of md5 and sha256, got "${raw}"`);
    }
    wanted.add(item);
  }
  return ALL_CHECKSUMS.filter((k) => wanted.has(k));
}

const UNCHECKSUMMED = new Set(['tar', 'docker', 'squashfs']);

/** Whether DIB writes checksum files for this output format. */
export function checksummedFormat(format: string): boolean {
  return !UNCHECKSUMMED.has(format);
}
