/**
 * Cross-checks of `diskimages[]` that a schema cannot express: path-safe and
 * unique names, parents that exist, no inheritance cycles, a `boot-test`
 * `expect` that compiles. Upstream's validator checks duplicates and missing
 * parents; its loader dies with a KeyError or RecursionError on the others.
 */
import { checkNames } from './check-names.js';
import type { ConfigIssue } from './config-issue.js';
import { formatKeyPath } from './key-path.js';
import type { RawDiskImage } from './raw-types.js';

export function checkDiskimages(diskimages: readonly RawDiskImage[], root: unknown): ConfigIssue[] {
  const at = (index: number, key: string): string => formatKeyPath(['diskimages', index, key], root);
  const issues = checkNames(diskimages, 'diskimages', 'diskimage', root);
  const firstIndex = new Map<string, number>();
  diskimages.forEach((image, index) => {
    if (!firstIndex.has(image.name)) firstIndex.set(image.name, index);
  });

  diskimages.forEach((image, index) => {
    if (image.parent && !firstIndex.has(image.parent)) {
      issues.push({ keyPath: at(index, 'parent'), problem: `unknown parent diskimage "${image.parent}"` });
    }
  });

  diskimages.forEach((image, index) => {
    const bootTest = image['boot-test'];
    if (typeof bootTest !== 'object' || bootTest.expect === undefined) return;
    try {
      new RegExp(bootTest.expect);
    } catch (err) {
      const keyPath = formatKeyPath(['diskimages', index, 'boot-test', 'expect'], root);
      issues.push({ keyPath, problem: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

  for (const cycle of findCycles(diskimages, firstIndex)) {
    const index = firstIndex.get(cycle[0] as string) as number;
    issues.push({ keyPath: at(index, 'parent'), problem: `inheritance cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  }
  return issues;
}

/** Each cycle once, as names starting at its member that comes first in the file. */
function findCycles(diskimages: readonly RawDiskImage[], firstIndex: Map<string, number>): string[][] {
  const parentOf = new Map(diskimages.map((image) => [image.name, image.parent ?? undefined]));
  const cycles: string[][] = [];
  const reported = new Set<string>();
  for (const image of diskimages) {
    const chain: string[] = [];
    let name: string | undefined = image.name;
    while (name !== undefined && parentOf.has(name) && !chain.includes(name)) {
      chain.push(name);
      name = parentOf.get(name) || undefined;
    }
    if (name === undefined || !chain.includes(name)) continue;
    const cycle = chain.slice(chain.indexOf(name));
    if (cycle.some((member) => reported.has(member))) continue;
    cycle.forEach((member) => reported.add(member));
    const start = cycle.reduce((best, member) =>
      (firstIndex.get(member) as number) < (firstIndex.get(best) as number) ? member : best,
    );
    const rotate = cycle.indexOf(start);
    cycles.push([...cycle.slice(rotate), ...cycle.slice(0, rotate)]);
  }
  return cycles;
}
