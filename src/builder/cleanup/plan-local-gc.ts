/**
 * Local garbage collection (upstream _cleanupLocalBuilds, nodepool-compat.md
 * §6.4), over this builder's own images-dir only:
 *
 * - a local build whose ZooKeeper record is missing or `deleting` (or that
 *   this plan marks deleting or deletes) is removed with its checksums and
 *   `.d` dir;
 * - a READY build of a `delete-after-upload` diskimage keeps only
 *   `keep-formats` and the format of every image-managing provider of the
 *   image that has no READY upload of it yet; other formats are pruned.
 *
 * Kiln adds two guards. Files of a record written by another builder (its
 * `builder_id` differs) are never touched, nor a build this daemon is
 * building. And upstream's quirk "a builder pointed at an empty or wrong
 * ZooKeeper deletes every local image" is refused: when the tree holds no
 * READY build at all, local builds missing from it are kept and reported
 * (refuse-local-gc, logged as an error) instead of deleted. A tree with no
 * ready build anywhere but old local images is the signature of a wrong
 * chroot, a wiped or a freshly restored cluster; deleting then destroys the
 * only copies. The price: on a cluster whose every image was removed, a
 * leftover local build (its owner was offline while others deleted the
 * records) stays until an operator removes it by hand.
 */
import type { BuildSnapshot, ImageSnapshot } from '../../model/types.js';
import type { LocalBuild } from '../local-images.js';
import type { CleanupAction } from './cleanup-actions.js';
import { buildKey, type CleanupInput, type CleanupProvider } from './cleanup-input.js';

export function planLocalGc(input: CleanupInput, zkActions: CleanupAction[], knownProviders: CleanupProvider[]): CleanupAction[] {
  const plannedDeleting = buildsPlannedDeleting(zkActions);
  const images = new Map(input.tree.images.map((image) => [image.name, image]));
  const actions: CleanupAction[] = [];
  const missing: LocalBuild[] = [];
  for (const local of input.localBuilds) {
    const key = buildKey(local.image, local.buildId);
    if (input.runningLocally.has(key)) continue;
    const image = images.get(local.image);
    const snapshot = image?.builds.find((b) => b.build.id === local.buildId);
    if (!snapshot) {
      missing.push(local);
      continue;
    }
    const build = snapshot.build;
    if (build.builderId !== null && build.builderId !== input.builderId) continue; // another builder's files
    if (build.state === 'deleting' || plannedDeleting.has(key)) {
      actions.push({ type: 'delete-local-build', local, reason: `build is ${build.state === 'deleting' ? 'deleting' : 'being deleted by this cycle'}` });
    } else if (build.state === 'ready' && image) {
      const prune = planPrune(local, snapshot, image, input, knownProviders);
      if (prune) actions.push(prune);
    }
  }
  if (missing.length === 0) return actions;
  if (!treeHasReadyBuild(input)) {
    const reason =
      `ZooKeeper holds no ready build at all, yet ${missing.length} local build(s) are missing from it: ` +
      'refusing to delete them (wrong or empty ZooKeeper?); remove them by hand if they are garbage';
    return [...actions, { type: 'refuse-local-gc', locals: missing, reason }];
  }
  return [...actions, ...missing.map((local): CleanupAction => ({ type: 'delete-local-build', local, reason: 'build is not in ZooKeeper' }))];
}

function planPrune(
  local: LocalBuild,
  snapshot: BuildSnapshot,
  image: ImageSnapshot,
  input: CleanupInput,
  knownProviders: CleanupProvider[],
): CleanupAction | null {
  const diskimage = input.config.diskimages.get(image.name);
  if (!diskimage?.deleteAfterUpload) return null;
  const keep = new Set(diskimage.keepFormats);
  for (const provider of knownProviders) {
    if (!provider.diskimages.some((d) => d.name === image.name) || provider.imageType === null) continue;
    const uploaded = (snapshot.uploads.get(provider.name) ?? []).some((u) => u.state === 'ready');
    if (!uploaded) keep.add(provider.imageType);
  }
  const files = local.files.filter((f) => !keep.has(f.format));
  if (files.length === 0) return null;
  const keepFormats = [...keep].sort();
  return {
    type: 'prune-local-formats',
    build: { image: local.image, buildId: local.buildId },
    files,
    keepFormats,
    reason: `delete-after-upload: keeping ${keepFormats.join(', ') || 'no format'}`,
  };
}

function buildsPlannedDeleting(actions: CleanupAction[]): Set<string> {
  const keys = new Set<string>();
  for (const action of actions) {
    if (action.type === 'mark-build-deleting' || action.type === 'delete-build-record') {
      keys.add(buildKey(action.build.image, action.build.buildId));
    }
  }
  return keys;
}

function treeHasReadyBuild(input: CleanupInput): boolean {
  return input.tree.images.some((image) => image.builds.some((b) => b.build.state === 'ready'));
}
