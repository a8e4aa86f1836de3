/** One element directory found on ELEMENTS_PATH. */
export interface Element {
  name: string;
  /** absolute real path of the element directory */
  path: string;
  deps: string[];
  provides: string[];
}
