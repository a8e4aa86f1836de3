/**
 * What planCleanup decides from: one snapshot of the ZooKeeper image tree with
 * the lock facts cleanup needs, the builder's config, its local files and its
 * id. Everything is plain data, so the planner is a pure function and the
 * snapshot step (cleanup-snapshot.ts) is the only reader.
 */
import type { DiskImage, Provider, ProviderDiskImage } from '../../config/types.js';
import type { ImageTreeSnapshot } from '../../model/types.js';
import type { LocalBuild } from '../local-images.js';

export interface CleanupInput {
  tree: ImageTreeSnapshot;
  locks: LockFacts;
  config: CleanupConfig;
  /** this builder's images-dir, scanned before the tree was read */
  localBuilds: LocalBuild[];
  /** builds (buildKey) this builder's daemon is building right now */
  runningLocally: ReadonlySet<string>;
  /** this builder's id (builder_id.txt) */
  builderId: string;
}

/**
 * Which locks had contenders when the snapshot was taken. The build lock's
 * holders come with the tree (ImageSnapshot.buildLockHolders). Keys are made
 * by buildKey / providerKey.
 */
export interface LockFacts {
  /** builds whose build-id lock (`builds/<id>/lock`) is held: someone else is flipping them */
  busyBuildLocks: ReadonlySet<string>;
  /** (build, provider) pairs whose upload lock (`…/images/lock`) is held: an upload is running */
  busyUploadLocks: ReadonlySet<string>;
}

/** The part of NodepoolConfig cleanup reads (a NodepoolConfig fits). */
export interface CleanupConfig {
  diskimages: ReadonlyMap<string, Pick<DiskImage, 'deleteAfterUpload' | 'keepFormats'>>;
  providers: ReadonlyMap<string, CleanupProvider>;
}

export type CleanupProvider = Pick<Provider, 'name' | 'managesImages' | 'imageType'> & {
  diskimages: ReadonlyArray<Pick<ProviderDiskImage, 'name'>>;
};

// Image, provider names and ids never contain '/' (model/paths.ts validates
// them), so joining with '/' is unambiguous.

export function buildKey(image: string, buildId: string): string {
  return `${image}/${buildId}`;
}

export function providerKey(image: string, buildId: string, provider: string): string {
  return `${image}/${buildId}/${provider}`;
}

export function noLockFacts(): LockFacts {
  return { busyBuildLocks: new Set(), busyUploadLocks: new Set() };
}
