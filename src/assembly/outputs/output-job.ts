/** What every output producer gets: where to write, what to hash, how to cancel. */
import type { Digests } from './digest.js';
import { checksummedFormat, type ChecksumKind } from './checksum-kinds.js';

export interface OutputJob {
  /** the assembled disk image (raw, sparse) */
  image: string;
  rootDir: string;
  /** format → the partial file to write (renamed by the orchestrator on success) */
  targets: Record<string, string>;
  /** checksums asked for (DIB_CHECKSUM); `checksumsFor` narrows them per format */
  checksums: readonly ChecksumKind[];
  env: Record<string, string>;
  qemuImgOptions?: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

export type OutputDigests = Record<string, Digests | undefined>;

/** The checksums to compute for one format's file: none for the formats DIB does not checksum. */
export function checksumsFor(job: OutputJob, format: string): readonly ChecksumKind[] {
  return checksummedFormat(format) ? job.checksums : [];
}
