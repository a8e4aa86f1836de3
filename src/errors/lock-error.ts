import { KilnError } from './kiln-error.js';

export type LockErrorCode =
  | 'KILN_LOCK_NOT_ACQUIRED' // non-blocking acquire found a contender (Nodepool: "Did not get lock on <path>")
  | 'KILN_LOCK_TIMEOUT' // blocking acquire timed out (kazoo LockTimeout)
  | 'KILN_LOCK_LOST'; // the session holding it expired

export class LockError extends KilnError {
  readonly path: string;
  constructor(code: LockErrorCode, path: string, message: string) {
    super(code, message);
    this.path = path;
  }
}
