/** What every output producer gets: where to write, what to hash, how to cancel. */
import type { Digests } from './digest.js';

export interface OutputJob {
  /** the assembled disk image (raw, sparse) */
  image: string;
  rootDir: string;
  /** format → the partial file to write (renamed by the orchestrator on success) */
  targets: Record<string, string>;
  checksum: boolean;
  env: Record<string, string>;
  qemuImgOptions?: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

export type OutputDigests = Record<string, Digests | undefined>;
