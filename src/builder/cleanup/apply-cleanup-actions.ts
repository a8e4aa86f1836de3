/**
 * Applies a plan. ZooKeeper and cloud actions run image by image (several
 * images at once, each image's actions in plan order, because later ones
 * build on earlier ones: mark an upload deleting → delete it → mark the build
 * deleting → delete the build); local file actions run last. A failing
 * action is logged and recorded, and the others still run: a cloud delete
 * that fails now is planned again next cycle.
 */
import { createLimiter } from '../../model/limiter.js';
import { describeAction, type CleanupAction } from './cleanup-actions.js';
import type { ApplyDeps, ApplyOutcome } from './apply-context.js';
import { applyDeleteCloudImageAndRecord, applyDeleteUploadRecord, applyMarkUploadDeleting } from './apply-upload-actions.js';
import { applyDeleteBuildRecord, applyMarkBuildDeleting } from './apply-build-actions.js';
import { applyDeleteLocalBuild, applyPruneLocalFormats, applyRefuseLocalGc } from './apply-local-actions.js';

export interface CleanupReport {
  actions: CleanupAction[];
  /** actions that took effect */
  applied: number;
  failed: Array<{ action: CleanupAction; error: string }>;
  /** actions whose re-check found a busy lock or a changed record */
  skipped: Array<{ action: CleanupAction; why: string }>;
}

/** Images whose actions run at the same time (cloud deletes are slow; ZooKeeper is not the bottleneck). */
const IMAGES_IN_PARALLEL = 4;

export async function applyCleanupActions(deps: ApplyDeps, actions: CleanupAction[]): Promise<CleanupReport> {
  const report: CleanupReport = { actions, applied: 0, failed: [], skipped: [] };
  const run = async (action: CleanupAction): Promise<void> => record(deps, report, action, await attempt(deps, action));
  const limit = createLimiter(IMAGES_IN_PARALLEL);
  const chains = [...groupByImage(actions.filter((a) => !isLocal(a))).values()];
  await Promise.all(chains.map((chain) => limit(async () => {
    for (const action of chain) await run(action);
  })));
  for (const action of actions.filter(isLocal)) await run(action);
  return report;
}

/** One action; never throws (a failure becomes an `error` string). */
export async function applyCleanupAction(deps: ApplyDeps, action: CleanupAction): Promise<ApplyOutcome> {
  switch (action.type) {
    case 'delete-upload-record':
      return applyDeleteUploadRecord(deps, action);
    case 'mark-upload-deleting':
      return applyMarkUploadDeleting(deps, action);
    case 'delete-cloud-image-and-record':
      return applyDeleteCloudImageAndRecord(deps, action);
    case 'mark-build-deleting':
      return applyMarkBuildDeleting(deps, action);
    case 'delete-build-record':
      return applyDeleteBuildRecord(deps, action);
    case 'delete-local-build':
      return applyDeleteLocalBuild(deps, action);
    case 'prune-local-formats':
      return applyPruneLocalFormats(deps, action);
    case 'refuse-local-gc':
      return applyRefuseLocalGc(deps, action);
  }
}

type Attempt = ApplyOutcome | { status: 'failed'; error: unknown };

async function attempt(deps: ApplyDeps, action: CleanupAction): Promise<Attempt> {
  try {
    return await applyCleanupAction(deps, action);
  } catch (error) {
    return { status: 'failed', error };
  }
}

function record(deps: ApplyDeps, report: CleanupReport, action: CleanupAction, outcome: Attempt): void {
  const what = describeAction(action);
  switch (outcome.status) {
    case 'applied':
      report.applied++;
      deps.logger.info({ action: action.type }, `cleanup: ${what}: ${action.reason}`);
      return;
    case 'skipped':
      report.skipped.push({ action, why: outcome.why });
      if (action.type !== 'refuse-local-gc') deps.logger.debug({ action: action.type }, `cleanup: skipped ${what}: ${outcome.why}`);
      return;
    case 'failed': {
      const error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
      report.failed.push({ action, error });
      deps.logger.warn({ action: action.type, err: outcome.error }, `cleanup: ${what} failed: ${error}`);
      return;
    }
  }
}

function isLocal(action: CleanupAction): boolean {
  return action.type === 'delete-local-build' || action.type === 'prune-local-formats' || action.type === 'refuse-local-gc';
}

function groupByImage(actions: CleanupAction[]): Map<string, CleanupAction[]> {
  const groups = new Map<string, CleanupAction[]>();
  for (const action of actions) {
    const image = 'upload' in action ? action.upload.image : 'build' in action ? action.build.image : '';
    const group = groups.get(image) ?? [];
    group.push(action);
    groups.set(image, group);
  }
  return groups;
}
