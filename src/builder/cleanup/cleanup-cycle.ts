/**
 * One cleanup cycle of the builder daemon (upstream CleanupWorker._cleanup):
 * snapshot (local files, ZooKeeper tree, lock facts) → pure plan → apply with
 * upstream's locks and re-checks. The daemon calls it on its timer and after
 * config reloads; cycles must not overlap (the caller serializes them).
 */
import type { Logger } from 'pino';
import type { NodepoolConfig } from '../../config/types.js';
import type { ImageStore } from '../../model/image-store.js';
import type { ImageProvider } from '../../providers/types.js';
import type { Zk } from '../../zk/zk-types.js';
import { planCleanup } from './plan-cleanup.js';
import { takeCleanupSnapshot } from './cleanup-snapshot.js';
import { applyCleanupActions, type CleanupReport } from './apply-cleanup-actions.js';

export type { CleanupReport } from './apply-cleanup-actions.js';

export interface CleanupDeps {
  store: ImageStore;
  zk: Zk;
  config: NodepoolConfig;
  builderId: string;
  imagesDir: string;
  /** image-managing providers this builder knows, by name */
  providers: Map<string, ImageProvider>;
  logger: Logger;
  isBuildRunningLocally?: (image: string, buildId: string) => boolean;
}

export async function runCleanupCycle(deps: CleanupDeps): Promise<CleanupReport> {
  const logger = deps.logger.child({ component: 'cleanup' });
  const input = await takeCleanupSnapshot(deps);
  const actions = planCleanup(input);
  const report = await applyCleanupActions({ ...deps, logger }, actions);
  if (actions.length > 0) {
    logger.info(
      { planned: actions.length, applied: report.applied, skipped: report.skipped.length, failed: report.failed.length },
      'cleanup cycle done',
    );
  }
  return report;
}
