import { KilnError } from '../errors/kiln-error.js';

export type BuilderErrorCode =
  | 'KILN_BUILDER_NO_IMAGES_DIR' // upstream: "No images-dir specified in config."
  | 'KILN_BUILDER_BAD_BUILDER_ID' // builder_id.txt exists but holds no uuid
  | 'KILN_BUILDER_DIB_FAILED' // the dib-cmd could not be started
  | 'KILN_BUILDER_NO_LOCAL_FILE' // no local file of the provider's format
  | 'KILN_BUILDER_UNKNOWN_DRIVER' // no ImageProvider registered for a driver
  | 'KILN_BUILDER_HOOK_FAILED' // post-upload-hook exited non-zero
  | 'KILN_BUILDER_STOPPED'; // work refused or cancelled because the daemon stops

/** Errors of the builder daemon; permanent ones (bad config) are not retried like transient ones. */
export class BuilderError extends KilnError {
  constructor(code: BuilderErrorCode, message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(code, message, options);
  }
}
