import { KilnError } from '../errors/kiln-error.js';

/**
 * A command refused the request (unknown image, build in progress, …). The
 * message is upstream's wording where upstream has one; exit status 1
 * (upstream printed some of these and exited 0 — Kiln makes them failures so
 * scripts can tell).
 */
export class CliError extends KilnError {
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1) {
    super(code, message, { permanent: true });
    this.exitCode = exitCode;
  }
}
