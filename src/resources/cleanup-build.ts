import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readStateFile, writeStateFile } from './state-file.js';
import { isAlive } from './process-identity.js';
import { buildsDir } from './state-dir.js';
import { undoResources, type UndoReport } from './undo-resources.js';
import { sameResource } from './same-resource.js';

export interface BuildCleanup {
  buildId: string;
  stateFile: string;
  report: UndoReport;
}

/**
 * Undoes everything a build's state file lists. The file is first claimed by
 * renaming it (atomic: of two concurrent cleaners only one wins), then removed
 * when everything was undone, or written back with what is left.
 */
export async function cleanupStateFile(path: string, log: (line: string) => void = () => {}): Promise<BuildCleanup | undefined> {
  const claimed = `${path}.cleaning-${process.pid}`;
  try {
    await rename(path, claimed);
  } catch {
    return undefined; // gone or claimed by another cleaner
  }
  const state = await readStateFile(claimed);
  const report = await undoResources(state.resources, log);
  if (report.failed.length === 0) {
    await rm(claimed, { force: true });
  } else {
    state.resources = state.resources.filter((r) => report.failed.some((f) => sameResource(f.resource, r)));
    await writeStateFile(path, state);
    await rm(claimed, { force: true });
  }
  return { buildId: state.buildId, stateFile: path, report };
}

/**
 * Cleans every build whose owners are all dead (killed builders, crashed
 * workers). A live owner means the build is someone else's: never touched.
 */
export async function sweepOrphanBuilds(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = () => {}): Promise<BuildCleanup[]> {
  const dir = buildsDir(env);
  const names = await readdir(dir).catch(() => [] as string[]);
  const results: BuildCleanup[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const stale = /^(.*\.json)\.cleaning-(\d+)$/.exec(name);
    if (stale) {
      // a cleaner died mid-way: hand the file back so this sweep can redo it
      if (!isAlive({ pid: Number(stale[2]), startTime: '' })) await rename(path, join(dir, stale[1] ?? name)).catch(() => undefined);
      else continue;
    } else if (!name.endsWith('.json')) {
      continue;
    }
    const file = stale ? join(dir, stale[1] ?? name) : path;
    const state = await readStateFile(file).catch(() => undefined);
    if (!state || state.owners.some(isAlive)) continue;
    log(`cleaning up orphaned build ${state.buildId} (${state.resources.length} resources)`);
    const result = await cleanupStateFile(file, log);
    if (result) results.push(result);
  }
  return results;
}
