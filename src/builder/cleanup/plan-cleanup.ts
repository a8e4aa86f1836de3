/**
 * The cleanup pass as a pure function: from one snapshot (ZooKeeper tree with
 * lock facts, config, local files, builder id) to the list of actions that
 * upstream's CleanupWorker would take, in the order to apply them: per image
 * and build the upload actions before the build's own, then local files last
 * (so a build this cycle marks deleting loses its files in the same cycle).
 * runCleanupCycle (cleanup-cycle.ts) takes the snapshot and applies the plan.
 */
import type { CleanupAction } from './cleanup-actions.js';
import type { CleanupInput } from './cleanup-input.js';
import { planImage } from './plan-image.js';
import { planLocalGc } from './plan-local-gc.js';

export function planCleanup(input: CleanupInput): CleanupAction[] {
  // Only image-managing providers of this builder's config are "known"; the
  // uploads to any other provider are left to the builders that know it.
  const knownProviders = [...input.config.providers.values()].filter((p) => p.managesImages);
  const zkActions = input.tree.images.flatMap((image) => planImage(image, input, knownProviders));
  return [...zkActions, ...planLocalGc(input, zkActions, knownProviders)];
}
