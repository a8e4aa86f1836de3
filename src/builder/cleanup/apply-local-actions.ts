/**
 * Local file actions. Re-checked right before deleting: never a build this
 * daemon is building, never files whose record names another builder, and a
 * build is removed only when its record is gone or `deleting` (it may have
 * been planned "deleting" by a mark that was then skipped).
 */
import { deleteLocalBuild, deleteLocalFormat } from '../local-images.js';
import type { DeleteLocalBuildAction, PruneLocalFormatsAction, RefuseLocalGcAction } from './cleanup-actions.js';
import { APPLIED, skipped, type ApplyDeps, type ApplyOutcome } from './apply-context.js';

export async function applyDeleteLocalBuild(deps: ApplyDeps, action: DeleteLocalBuildAction): Promise<ApplyOutcome> {
  const { image, buildId } = action.local;
  if (deps.isBuildRunningLocally?.(image, buildId)) return skipped('this builder is building it');
  const current = await deps.store.getBuild(image, buildId);
  if (current !== null) {
    if (current.state !== 'deleting') return skipped(`build is ${current.state ?? 'unreadable'} in ZooKeeper`);
    if (current.builderId !== null && current.builderId !== deps.builderId) return skipped(`build belongs to builder ${current.builderId}`);
  }
  await deleteLocalBuild(action.local);
  return APPLIED;
}

export async function applyPruneLocalFormats(deps: ApplyDeps, action: PruneLocalFormatsAction): Promise<ApplyOutcome> {
  const { image, buildId } = action.build;
  if (deps.isBuildRunningLocally?.(image, buildId)) return skipped('this builder is building it');
  const current = await deps.store.getBuild(image, buildId);
  if (current === null || current.state !== 'ready') return skipped(`build is ${current?.state ?? 'gone'}, not ready`);
  if (current.builderId !== null && current.builderId !== deps.builderId) return skipped(`build belongs to builder ${current.builderId}`);
  await Promise.all(action.files.map(deleteLocalFormat));
  return APPLIED;
}

/** The empty-ZooKeeper guard: nothing is deleted, but the operator must hear about it. */
export async function applyRefuseLocalGc(deps: ApplyDeps, action: RefuseLocalGcAction): Promise<ApplyOutcome> {
  deps.logger.error({ localBuilds: action.locals.map((l) => l.base) }, action.reason);
  return skipped(action.reason);
}
