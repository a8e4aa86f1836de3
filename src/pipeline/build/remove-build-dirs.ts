import type { ResourceTracker } from '../../resources/types.js';
import { undoResources } from '../../resources/undo-resources.js';
import { removeInBackground } from '../../resources/background-remove.js';
import type { BuildDirs } from '../env/build-environment.js';
import { ResourceError } from '../../resources/resource-error.js';

/**
 * Removes the build and image dirs through the same undo code as a cleanup.
 * A tmpfs build dir is simply unmounted; an on-disk one (--no-tmpfs, as
 * nodepool runs) is deleted in the background so the build can finish.
 */
export async function removeBuildDirs(dirs: BuildDirs, resources: ResourceTracker, env: NodeJS.ProcessEnv, useTmpfs: boolean): Promise<void> {
  const list = [
    { kind: 'mount' as const, path: dirs.buildDir },
    { kind: 'tempdir' as const, path: dirs.imageDir },
    ...(useTmpfs ? [{ kind: 'tempdir' as const, path: dirs.buildDir }] : []),
  ];
  const report = await undoResources(list);
  for (const r of report.undone) await resources.release(r);
  if (report.failed.length > 0) {
    throw new ResourceError('KILN_RESOURCE_CLEANUP_FAILED', report.failed.map((f) => f.reason).join('; '));
  }
  if (!useTmpfs) await removeInBackground(dirs.buildDir, resources, env);
}
