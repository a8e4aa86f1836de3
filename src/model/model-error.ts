import { KilnError } from '../errors/kiln-error.js';

/** Stable codes for problems with Nodepool's image data (names, records, export files). */
export type ModelErrorCode =
  | 'KILN_INVALID_NAME' // an image/provider name or build/upload id that cannot become a znode name
  | 'KILN_BUILD_NOT_FOUND' // an upload was stored for a build znode that does not exist
  | 'KILN_IMPORT_INVALID'; // an export-image-data file that is not a JSON object of strings

export class ModelError extends KilnError {
  constructor(code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    // Bad names and bad import files do not get better on retry.
    super(code, message, { cause: options?.cause, permanent: code !== 'KILN_BUILD_NOT_FOUND' });
  }
}
