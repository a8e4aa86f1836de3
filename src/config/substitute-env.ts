/**
 * `%(NODEPOOL_xxx)` substitution (nodepool/config.py:substitute_env_vars).
 *
 * Upstream replaces, in the raw text before YAML parsing, `%(NAME)` by the
 * value of every environment variable NAME that starts with `NODEPOOL_`;
 * nothing else is substituted. Done here the same way, in one pass.
 *
 * A reference to an unset variable is left in the text by upstream (it uses
 * str.replace, not %-formatting), which silently yields paths such as
 * `%(NODEPOOL_STATE_DIR)/images`. Kiln instead reports it as a ConfigError
 * naming the variable and the key (findUnsetReferences, run on the parsed
 * document, so a reference inside a YAML comment is harmless).
 */
import type { ConfigIssue } from './config-issue.js';
import { formatKeyPath, isRecord, type PathSegment } from './key-path.js';

const REFERENCE = /%\((NODEPOOL_[A-Za-z0-9_]*)\)/g;

export function substituteEnv(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(REFERENCE, (whole, name: string) => env[name] ?? whole);
}

/** Every string (value or key) of the parsed document that still holds a reference. */
export function findUnsetReferences(root: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const visit = (node: unknown, path: PathSegment[]): void => {
    if (typeof node === 'string') {
      for (const match of node.matchAll(REFERENCE)) {
        issues.push({
          keyPath: formatKeyPath(path, root),
          problem: `environment variable ${match[1]} is not set (referenced as ${match[0]})`,
        });
      }
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, index]));
    } else if (isRecord(node)) {
      for (const [key, value] of Object.entries(node)) {
        visit(key, path);
        visit(value, [...path, key]);
      }
    }
  };
  visit(root, []);
  return issues;
}
