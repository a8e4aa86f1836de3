/**
 * Build record actions with upstream's safety: a `building` record is only
 * touched under the image build lock (which proves its builder dead), the
 * build-id lock guards marking and deleting, and the "every upload is
 * deleting" condition is re-checked against ZooKeeper right before marking,
 * because an upload action planned before it may have been skipped.
 */
import type { BuildState, ImageBuild } from '../../model/types.js';
import { imageBuildPath } from '../../model/paths.js';
import { withState } from '../../model/record-state.js';
import type { BuildRef, DeleteBuildRecordAction, MarkBuildDeletingAction } from './cleanup-actions.js';
import { APPLIED, busyOr, changedSince, skipped, type ApplyDeps, type ApplyOutcome } from './apply-context.js';
import { removeLockOrphan, withLockIfFree } from './lock-if-free.js';

export async function applyMarkBuildDeleting(deps: ApplyDeps, action: MarkBuildDeletingAction): Promise<ApplyOutcome> {
  const b = action.build;
  const current = await readBuild(deps, b);
  if (current === null) return skipped('record is gone');
  const changed = changedSince(current, action.planned);
  if (changed) return skipped(changed);
  if (action.planned.state !== 'building') return mark(deps, action);
  if (deps.isBuildRunningLocally?.(b.image, b.buildId)) return skipped('this builder is building it');
  const result = await withLockIfFree(deps.store.imageBuildLock(b.image), () => mark(deps, action));
  return busyOr(result, 'image build lock is held: the build is in progress');
}

export async function applyDeleteBuildRecord(deps: ApplyDeps, action: DeleteBuildRecordAction): Promise<ApplyOutcome> {
  const b = action.build;
  const current = await readBuild(deps, b);
  if (current === null) return skipped('record is gone');
  // Only after a successful mark (upstream's deleteBuild runs only when the mark did not raise).
  if (current.state !== 'deleting') return skipped(`build is ${current.state ?? 'unreadable'}, not deleting`);
  // While this daemon is still finishing the build (its files are protected), keep the
  // record: a later cycle removes record and files together. Deleting the record now
  // would leave the files to the "missing from ZooKeeper" rule, which the empty-tree
  // guard may refuse.
  if (deps.isBuildRunningLocally?.(b.image, b.buildId)) return skipped('this builder is still finishing it');
  const result = await withLockIfFree(deps.store.imageBuildNumberLock(b.image, b.buildId), async () => {
    const again = await readBuild(deps, b);
    if (again === null) return gone(deps, b);
    if (again.state !== 'deleting') return skipped(`build is ${again.state ?? 'unreadable'}, not deleting`);
    // deleteBuild refuses while any upload znode remains (e.g. a cloud delete failed this cycle).
    const deleted = await deps.store.deleteBuild(b.image, b.buildId);
    return deleted ? APPLIED : skipped('upload records remain');
  });
  return busyOr(result, 'build-id lock is held');
}

async function mark(deps: ApplyDeps, action: MarkBuildDeletingAction): Promise<ApplyOutcome> {
  const b = action.build;
  const blocking = await uploadsNotDeleting(deps, b);
  if (blocking > 0) return skipped(`${blocking} upload(s) are not deleting`);
  const result = await withLockIfFree(deps.store.imageBuildNumberLock(b.image, b.buildId), async () => {
    const current = await readBuild(deps, b);
    if (current === null) return gone(deps, b);
    const changed = changedSince(current, action.planned);
    if (changed) return skipped(changed);
    await deps.store.storeBuild(b.image, withState<ImageBuild, BuildState>(current, 'deleting'), b.buildId);
    return APPLIED;
  });
  return busyOr(result, 'build-id lock is held');
}

/** Uploads of the build, to every provider in ZooKeeper (known to this builder or not), that are not deleting. */
async function uploadsNotDeleting(deps: ApplyDeps, b: BuildRef): Promise<number> {
  const providers = await deps.store.getBuildProviders(b.image, b.buildId);
  const uploads = await Promise.all(providers.map((p) => deps.store.getUploads(b.image, b.buildId, p)));
  return uploads.flat().filter((u) => u.state !== 'deleting').length;
}

function readBuild(deps: ApplyDeps, b: BuildRef): Promise<ImageBuild | null> {
  return deps.store.getBuild(b.image, b.buildId);
}

async function gone(deps: ApplyDeps, b: BuildRef): Promise<ApplyOutcome> {
  await removeLockOrphan(deps.store.zk, imageBuildPath(b.image, b.buildId));
  return skipped('record is gone');
}
