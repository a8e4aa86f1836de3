import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResourceTracker } from '../../resources/types.js';
import type { BuildDirs } from '../env/build-environment.js';
import { mountTracked } from '../chroot/mount-tracked.js';

/**
 * Creates TMP_BUILD_DIR (dib_build.XXXXXXXX) and TMP_IMAGE_DIR, recording each
 * before it exists so that no window leaves an unrecorded directory. With
 * tmpfs, the build dir is a tmpfs mount (recorded before mounting too).
 */
export async function createBuildDirs(tmpDir: string, resources: ResourceTracker, useTmpfs: boolean): Promise<BuildDirs> {
  const buildDir = await trackedDir(resources, tmpDir, 'dib_build');
  if (useTmpfs) await mountTracked(resources, buildDir, ['-t', 'tmpfs', 'tmpfs']);
  const imageDir = await trackedDir(resources, tmpDir, 'dib_image');
  const dirs: BuildDirs = {
    buildDir,
    imageDir,
    hooksDir: join(buildDir, 'hooks'),
    mountDir: join(buildDir, 'mnt'),
    libDir: join(buildDir, 'lib'),
  };
  for (const dir of [dirs.hooksDir, dirs.mountDir, dirs.libDir]) await mkdir(dir, { recursive: true });
  return dirs;
}

async function trackedDir(resources: ResourceTracker, parent: string, prefix: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  for (;;) {
    const path = join(parent, `${prefix}.${randomBytes(6).toString('base64url').slice(0, 8)}`);
    await resources.track({ kind: 'tempdir', path });
    try {
      await mkdir(path, { mode: 0o755 });
      return path;
    } catch (err) {
      await resources.release({ kind: 'tempdir', path });
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
