import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Element } from './element.js';
import { ElementError } from './element-error.js';

export interface FoundElements {
  elements: Map<string, Element>;
  /** "Element x (path) overrides y (path)" lines, for the log */
  overrides: string[];
}

/**
 * Every element on the path, by name. Like DIB (and $PATH), earlier entries
 * win; callers append Kiln's own elements/ last. Names are the basename of the
 * real path, so a symlinked element keeps its target's name.
 */
export function findElements(elementsPath: string[]): FoundElements {
  const elements = new Map<string, Element>();
  const overrides: string[] = [];
  for (const entry of [...elementsPath].reverse()) {
    if (!isDir(entry)) throw new ElementError('KILN_ELEMENT_BAD_PATH', `ELEMENTS_PATH entry ${entry} is not a directory`);
    for (const child of readdirSync(entry).sort()) {
      const dir = join(entry, child);
      if (!isDir(dir)) continue;
      const path = realpathSync(dir);
      const name = basename(path);
      const previous = elements.get(name);
      if (previous) overrides.push(`Element ${name} (${path}) overrides ${previous.path}`);
      elements.set(name, { name, path, deps: readList(join(path, 'element-deps')), provides: readList(join(path, 'element-provides')) });
    }
  }
  return { elements, overrides };
}

/** Newline list; blank lines dropped (DIB has no comment syntax here). */
function readList(file: string): string[] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
  } catch {
    return [];
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
