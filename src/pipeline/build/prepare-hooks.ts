import { chmod, copyFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext } from './build-context.js';
import { mergeHooks } from '../hooks/merge-hooks.js';
import { distFile, shellLibDir } from '../paths.js';

/**
 * The merged hooks tree plus the helpers scripts rely on: $_LIB (die,
 * common-functions, dib-run-parts…), dib-run-parts inside the hooks tree for
 * the chroot, and host-side wrappers for Kiln helpers written in TypeScript.
 */
export async function prepareHooks(ctx: BuildContext): Promise<void> {
  await mergeHooks(ctx.plan.elements, ctx.dirs.hooksDir);
  const lib = shellLibDir();
  for (const name of await readdir(lib)) await copyFile(join(lib, name), join(ctx.dirs.libDir, name));
  await chmod(join(ctx.dirs.libDir, 'dib-run-parts'), 0o755);
  await copyFile(join(lib, 'dib-run-parts'), join(ctx.dirs.hooksDir, 'dib-run-parts'));
  await chmod(join(ctx.dirs.hooksDir, 'dib-run-parts'), 0o755);
  const squash = join(ctx.dirs.libDir, 'package-installs-squash');
  await writeFile(
    squash,
    `#!/bin/bash\nexec "${process.execPath}" "${distFile('pipeline', 'packages', 'squash-cli.js')}" "$@"\n`,
  );
  await chmod(squash, 0o755);
}
