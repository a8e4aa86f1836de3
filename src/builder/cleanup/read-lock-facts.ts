/**
 * The lock facts planCleanup needs beyond the tree (which already lists the
 * image build lock's contenders): which build-id locks are held, and which
 * upload locks are held for (build, provider) pairs with an `uploading`
 * record. One parallel sweep through a LimitedReader, like the tree read.
 */
import type { Zk } from '../../zk/zk-types.js';
import type { ImageTreeSnapshot } from '../../model/types.js';
import { LimitedReader } from '../../model/limited-reader.js';
import { imageBuildNumberLockPath, imageUploadLockPath } from '../../model/paths.js';
import { sortedContenders } from '../../zk/lock-names.js';
import { buildKey, providerKey, type LockFacts } from './cleanup-input.js';

export async function readLockFacts(zk: Zk, tree: ImageTreeSnapshot): Promise<LockFacts> {
  const reader = new LimitedReader(zk);
  const held = async (path: string): Promise<boolean> => sortedContenders((await reader.getChildren(path)) ?? []).length > 0;
  const buildProbes: Array<Promise<string | null>> = [];
  const uploadProbes: Array<Promise<string | null>> = [];
  for (const image of tree.images) {
    for (const { build, uploads } of image.builds) {
      const key = buildKey(image.name, build.id);
      buildProbes.push(held(imageBuildNumberLockPath(image.name, build.id)).then((busy) => (busy ? key : null)));
      for (const [provider, records] of uploads) {
        if (!records.some((u) => u.state === 'uploading')) continue;
        const pkey = providerKey(image.name, build.id, provider);
        uploadProbes.push(held(imageUploadLockPath(image.name, build.id, provider)).then((busy) => (busy ? pkey : null)));
      }
    }
  }
  const [builds, uploads] = await Promise.all([Promise.all(buildProbes), Promise.all(uploadProbes)]);
  return { busyBuildLocks: new Set(builds.filter(isKey)), busyUploadLocks: new Set(uploads.filter(isKey)) };
}

function isKey(key: string | null): key is string {
  return key !== null;
}
