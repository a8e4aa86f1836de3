import { homedir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { BuildOptions } from '../options/build-options.js';
import type { BuildPlan } from '../build/build-plan.js';
import { findElements } from '../elements/find-elements.js';
import { resolveElements } from '../elements/resolve-elements.js';
import { builtinElementsDir } from '../paths.js';
import { hostArch } from '../env/host-arch.js';
import { checksumKinds } from '../../assembly/outputs/checksum-kinds.js';

/**
 * Decides everything about a build before anything exists on disk: the
 * element set (so DIB's three element errors come first), the paths and the
 * starting environment. Pure apart from reading the element directories.
 */
export function planBuild(options: BuildOptions, env: NodeJS.ProcessEnv, stateFile: string, cwd = process.cwd()): BuildPlan {
  const baseEnv = startingEnvironment(options, env);
  const userPath = (baseEnv.ELEMENTS_PATH ?? '').split(':').filter((p) => p.length > 0);
  const elementsPath = [...userPath, builtinElementsDir()];
  const arch = options.arch ?? baseEnv.ARCH ?? hostArch();
  const { elements } = findElements(elementsPath);
  const requested = [...(options.skipBase ? [] : ['base']), ...options.elements];
  const resolved = resolveElements(requested, elements, { arch });
  const home = baseEnv.HOME ?? homedir();
  const minTmpfsGiB = options.minTmpfs ?? Number(baseEnv.DIB_MIN_TMPFS ?? 2);
  return {
    options,
    elements: resolved.map((e) => ({ name: e.name, path: e.path })),
    elementsPath,
    arch,
    outputBase: resolve(cwd, options.imageName),
    baseEnv,
    tmpDir: baseEnv.TMP_DIR || baseEnv.TMPDIR || '/tmp',
    imageCache: options.imageCache ?? baseEnv.DIB_IMAGE_CACHE ?? join(home, '.cache', 'image-create'),
    lockfiles: baseEnv.DIB_LOCKFILES ?? join(home, '.cache', 'dib', 'lockfiles'),
    stateFile,
    keepFailedTree: baseEnv.KILN_KEEP_FAILED_TREE === '1',
    checksums: checksumKinds(options.checksum ? '1' : baseEnv.DIB_CHECKSUM),
    useTmpfs: !options.noTmpfs && baseEnv.DIB_NO_TMPFS !== '1' && totalmem() >= 2 * minTmpfsGiB * 1024 ** 3,
  };
}

/** The user's environment, or with `-c` only what a shell needs (DIB re-execs with `env -i`). */
function startingEnvironment(options: BuildOptions, env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = options.clearEnv ? ['PATH', 'HOME', 'USER', 'TERM', 'LANG'] : Object.keys(env);
  const out: Record<string, string> = {};
  for (const name of keep) {
    const value = env[name];
    if (value !== undefined && !name.startsWith('npm_') && !name.startsWith('JEST_')) out[name] = value;
  }
  return out;
}
