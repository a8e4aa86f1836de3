import { randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import type { ResourceTracker } from './types.js';
import { mountsBelow } from './mount-table.js';
import { writeStateFile } from './state-file.js';
import { identityOf, pidExists } from './process-identity.js';
import { buildsDir } from './state-dir.js';
import { ResourceError } from './resource-error.js';

/**
 * Deletes a large directory without making the build wait for it: deleting a
 * 700 MB tree takes ~20 s on a disk mounted with `discard`. The directory is
 * renamed to `<path>.trash` (instant, same filesystem), handed to a detached
 * `rm` process and recorded in a state file of its own owned by that process,
 * so if the rm is killed the next sweep finishes the job. Never used while
 * anything is mounted below the directory.
 */
export async function removeInBackground(path: string, resources: ResourceTracker, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const mounts = await mountsBelow(path);
  if (mounts.length > 0) throw new ResourceError('KILN_RESOURCE_BUSY', `refusing to delete ${path}: still mounted below it: ${mounts.join(', ')}`);
  const trash = `${path}.trash`;
  await resources.track({ kind: 'tempdir', path: trash });
  await rename(path, trash);
  await resources.release({ kind: 'tempdir', path });
  // the state file exists before the rm starts, owned by us; the rm's shell deletes it when done
  const stateFile = join(buildsDir(env), `trash-${randomBytes(4).toString('hex')}.json`);
  const state = {
    version: 1 as const,
    buildId: `trash-${basename(path)}`,
    owners: [identityOf(process.pid)],
    createdAt: new Date().toISOString(),
    resources: [{ kind: 'tempdir' as const, path: trash }],
  };
  await writeStateFile(stateFile, state);
  await resources.release({ kind: 'tempdir', path: trash });
  const rm = execa('sh', ['-c', 'rm -rf --one-file-system "$1" && rm -f "$2"', 'kiln-trash', trash, stateFile], {
    detached: true,
    stdio: 'ignore',
    reject: false,
    cleanup: false,
  });
  rm.unref();
  if (rm.pid !== undefined) {
    // from now on the rm owns it: our exit must not make the sweep race it
    await writeStateFile(stateFile, { ...state, owners: [identityOf(rm.pid)] }).catch(() => undefined);
    if (!pidExists(rm.pid)) await unlink(stateFile).catch(() => undefined); // it finished before we wrote
  }
}
