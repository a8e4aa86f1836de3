/**
 * Base of every error Kiln throws. `code` is stable: it is what scripts match on,
 * what `--json` output and ZooKeeper-facing logs carry. Never throw strings.
 */
export class KilnError extends Error {
  readonly code: string;
  /** Permanent errors (bad config, bad element) must not be retried like transient ones. */
  readonly permanent: boolean;

  constructor(code: string, message: string, options?: { cause?: unknown; permanent?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.permanent = options?.permanent ?? false;
  }
}

export function isKilnError(err: unknown, code?: string): err is KilnError {
  return err instanceof KilnError && (code === undefined || err.code === code);
}
