import { KilnError } from '../../errors/kiln-error.js';

export type ElementErrorCode =
  | 'KILN_ELEMENT_NOT_FOUND' // DIB MissingElementException
  | 'KILN_ELEMENT_ALREADY_PROVIDED' // DIB AlreadyProvidedException
  | 'KILN_ELEMENT_NO_OS' // DIB MissingOSException
  | 'KILN_ELEMENT_BAD_PATH' // an ELEMENTS_PATH entry is not a directory (DIB InvalidElementDir)
  | 'KILN_ELEMENT_DUPLICATE_HOOK'; // two elements ship the same file in one hooks directory

/** A problem with the element set; permanent: retrying the same build cannot help. */
export class ElementError extends KilnError {
  constructor(code: ElementErrorCode, message: string) {
    super(code, message, { permanent: true });
  }
}
