import { KilnError } from './kiln-error.js';

/**
 * A problem with nodepool.yaml (or the secure file, or clouds.yaml). The message
 * names the file, the key path (`diskimages[2].rebuild-age`), what is wrong and
 * what is allowed.
 */
export class ConfigError extends KilnError {
  readonly file: string;
  readonly keyPath: string;

  constructor(file: string, keyPath: string, problem: string, code = 'KILN_CONFIG_INVALID') {
    super(code, keyPath ? `${file}: ${keyPath}: ${problem}` : `${file}: ${problem}`, { permanent: true });
    this.file = file;
    this.keyPath = keyPath;
  }
}
