/**
 * Reads what decideBuild() needs for one image from ZooKeeper. The scheduler
 * uses it to pick work; the build worker reads it again under the image build
 * lock (upstream re-checks after acquiring, since another builder may have
 * built the image meanwhile).
 */
import type { DiskImage } from '../config/types.js';
import type { ImageStore } from '../model/image-store.js';
import { imageBuildRequestPath } from '../model/paths.js';
import { nowSeconds } from '../model/record-state.js';
import { readBackoff } from './backoff.js';
import type { BuildFacts } from './build-triggers.js';

export async function readBuildFacts(store: ImageStore, image: DiskImage, labels: readonly string[]): Promise<BuildFacts> {
  const [zkPaused, request, ready, backoff] = await Promise.all([
    store.getImagePaused(image.name),
    store.zk.exists(imageBuildRequestPath(image.name)),
    store.getMostRecentBuilds(1, image.name, 'ready'),
    readBackoff(store.zk, image.name),
  ]);
  const newest = ready[0];
  return {
    image,
    labels,
    zkPaused,
    requestTime: request ? request.ctime / 1000 : null,
    newestReady: newest ? { id: newest.id, stateTime: newest.stateTime, formats: newest.formats } : null,
    backoff,
    now: nowSeconds(),
  };
}
