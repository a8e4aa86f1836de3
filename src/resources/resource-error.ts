import { KilnError } from '../errors/kiln-error.js';

export type ResourceErrorCode =
  | 'KILN_RESOURCE_STATE_IO' // the state file could not be written or read
  | 'KILN_RESOURCE_CLEANUP_FAILED' // some resources could not be undone (listed in the message)
  | 'KILN_RESOURCE_BUSY'; // a temp dir still has mounts below it: refusing to delete through them

/** A failure to record or undo a build resource (mount, loop, temp dir…). */
export class ResourceError extends KilnError {
  constructor(code: ResourceErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
