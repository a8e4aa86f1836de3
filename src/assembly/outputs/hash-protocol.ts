/** Messages between a Digester and its hashing worker threads (typed, never free text). */
import type { ChecksumKind } from './checksum-kinds.js';

export type HashAlgorithm = ChecksumKind;

/** Given once, as workerData. */
export interface HashWorkerConfig {
  algorithm: HashAlgorithm;
}

export type HashRequest =
  /** hash `length` bytes at the start of `data` (shared with the other algorithm's worker: read only) */
  | { kind: 'chunk'; data: SharedArrayBuffer; length: number }
  /** no more bytes: reply with the digest */
  | { kind: 'end' };

export type HashResponse =
  /** one chunk hashed (its buffer may be reused once every worker acknowledged it) */
  | { kind: 'ack' }
  | { kind: 'digest'; hex: string }
  | { kind: 'failed'; message: string };
