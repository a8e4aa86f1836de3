import { KilnError } from '../../errors/kiln-error.js';

export type CleanupErrorCode =
  | 'KILN_CLEANUP_PROVIDER_UNAVAILABLE' // an upload to delete names a provider this builder has no ImageProvider for
  | 'KILN_CLEANUP_CLOUD_DELETE_FAILED'; // the cloud refused or failed the delete; retried next cycle

/** A cleanup action that failed; the cycle goes on with the other actions. */
export class CleanupError extends KilnError {
  constructor(code: CleanupErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
