import { ConfigError } from '../errors/config-error.js';

/**
 * One problem found in a config file. The loader collects every issue of a
 * phase (schema, references, …) and throws them together, so an operator fixes
 * a file in one pass instead of one error per run.
 */
export interface ConfigIssue {
  /** `diskimages[2] (name: foo).rebuild-age`; '' for the whole file */
  keyPath: string;
  /** what is wrong and what is allowed */
  problem: string;
}

/** Stable codes of the ConfigErrors this module throws. */
export type ConfigErrorCode =
  | 'KILN_CONFIG_NOT_FOUND' // the file is missing (after the ENOENT retries)
  | 'KILN_CONFIG_UNREADABLE' // any other read error (permissions, a directory, …)
  | 'KILN_CONFIG_YAML' // not parseable YAML, or not a mapping
  | 'KILN_CONFIG_MISSING_ENV' // %(NODEPOOL_xxx) names an unset environment variable
  | 'KILN_CONFIG_INVALID'; // schema or cross-reference violation

/**
 * One ConfigError for all issues: one line per issue, each line
 * `<file>: <key path>: <problem>`, so every line stands on its own in a log.
 * `keyPath` of the error is the first issue's.
 */
export function toConfigError(file: string, issues: readonly ConfigIssue[], code: ConfigErrorCode): ConfigError {
  const [first, ...rest] = issues;
  if (first === undefined) throw new RangeError('toConfigError needs at least one issue');
  const more = rest.map((issue) => `\n${formatIssue(file, issue)}`).join('');
  return new ConfigError(file, first.keyPath, first.problem + more, code);
}

export function throwIfIssues(file: string, issues: readonly ConfigIssue[], code: ConfigErrorCode): void {
  if (issues.length > 0) throw toConfigError(file, issues, code);
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  return issue.keyPath ? `${file}: ${issue.keyPath}: ${issue.problem}` : `${file}: ${issue.problem}`;
}
