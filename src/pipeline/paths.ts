import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Kiln's install root (the directory with package.json), found from this
 * module's location so it works both from dist/ and from src/ under jest.
 */
export function kilnRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot locate the Kiln installation (no package.json above the pipeline module)');
    dir = parent;
  }
  return dir;
}

/** Kiln's shipped elements: always last on ELEMENTS_PATH. */
export function builtinElementsDir(): string {
  return join(kilnRoot(), 'elements');
}

/** Shell helpers ($_LIB): dib-run-parts, die, common-functions… (not compiled, read from src/). */
export function shellLibDir(): string {
  return join(kilnRoot(), 'src', 'pipeline', 'lib');
}

/** The compiled worker entry; the worker always runs compiled code, also under jest. */
export function workerEntry(): string {
  return join(kilnRoot(), 'dist', 'pipeline', 'worker', 'worker-main.js');
}

/** Compiled helper CLIs that element scripts call on the host through $_LIB wrappers. */
export function distFile(...parts: string[]): string {
  return join(kilnRoot(), 'dist', ...parts);
}
