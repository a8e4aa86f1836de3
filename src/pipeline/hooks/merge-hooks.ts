import { copyFile, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { PlannedElement } from '../build/build-plan.js';
import { ElementError } from '../elements/element-error.js';

const SKIPPED_DIRS = new Set(['tests', '__pycache__']);

/**
 * Builds DIB's merged hooks tree ($TMP_HOOKS_PATH): every element's
 * first-level directories merged entry by entry (a file name shipped twice in
 * one directory is an error: its run order would be ambiguous), top-level files
 * copied flat (last one wins, as in DIB: consumers re-read per-element files),
 * then environment.d/11-dib-install-type.bash.
 */
export async function mergeHooks(elements: PlannedElement[], hooksDir: string): Promise<void> {
  await mkdir(hooksDir, { recursive: true });
  const owners = new Map<string, string>(); // "<dir>/<file>" → element
  for (const element of elements) {
    for (const entry of (await readdir(element.path)).sort()) {
      const source = join(element.path, entry);
      const info = await stat(source).catch(() => undefined); // follows symlinks
      if (!info) continue;
      if (info.isDirectory()) {
        if (SKIPPED_DIRS.has(entry)) continue;
        await mergeDir(element.name, entry, source, join(hooksDir, entry), owners);
      } else if (info.isFile()) {
        await copyFile(source, join(hooksDir, entry));
      }
    }
  }
  await mkdir(join(hooksDir, 'environment.d'), { recursive: true });
  await writeFile(
    join(hooksDir, 'environment.d', '11-dib-install-type.bash'),
    'export DIB_DEFAULT_INSTALLTYPE=${DIB_DEFAULT_INSTALLTYPE:-"source"}\n',
  );
}

async function mergeDir(element: string, dirName: string, source: string, target: string, owners: Map<string, string>): Promise<void> {
  await mkdir(target, { recursive: true });
  const entries = await readdir(source);
  for (const entry of entries) {
    const info = await stat(join(source, entry)).catch(() => undefined);
    if (info?.isDirectory()) continue; // same-named sub-directories merge silently, as in DIB
    const key = `${dirName}/${entry}`;
    const previous = owners.get(key);
    if (previous !== undefined) {
      throw new ElementError(
        'KILN_ELEMENT_DUPLICATE_HOOK',
        `There is a duplicated hook in your elements: ${element}/${key} (also in ${previous})`,
      );
    }
    owners.set(key, element);
  }
  if (entries.length > 0) await execa('cp', ['-a', `${source}/.`, `${target}/`]);
}
