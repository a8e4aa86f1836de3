/**
 * Names of a top-level list (diskimages, providers) must be path-safe (see
 * safe-name.ts) and unique: both become file names and znodes, and a repeat
 * would silently replace the first (upstream keeps them in a dict).
 */
import type { ConfigIssue } from './config-issue.js';
import { formatKeyPath } from './key-path.js';
import { unsafeNameProblem } from './safe-name.js';

export function checkNames(
  items: readonly { name: string }[],
  list: 'diskimages' | 'providers',
  kind: string,
  root: unknown,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const firstIndex = new Map<string, number>();
  items.forEach(({ name }, index) => {
    const keyPath = formatKeyPath([list, index, 'name'], root);
    const problem = unsafeNameProblem(name);
    if (problem) issues.push({ keyPath, problem });
    const first = firstIndex.get(name);
    if (first === undefined) firstIndex.set(name, index);
    else issues.push({ keyPath, problem: `duplicate ${kind} name "${name}" (first defined at ${list}[${first}])` });
  });
  return issues;
}
