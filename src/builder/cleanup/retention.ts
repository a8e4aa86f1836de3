/**
 * Upstream's two retention rules (nodepool-compat.md §6.2-6.3): the builds an
 * image keeps, and the uploads launchers may still boot from.
 */
import type { ImageSnapshot } from '../../model/types.js';
import { byStateTimeDesc } from '../../model/recency.js';
import type { CleanupConfig } from './cleanup-input.js';

/** Ready builds kept per image, and ready uploads kept per (image, provider). */
export const KEEP_BUILDS = 2;
export const KEEP_UPLOADS = 2;

/**
 * Ids of the builds to keep: the 2 newest READY builds by state_time, or none
 * when the diskimage is absent from this builder's config (upstream's way to
 * remove an image, and why every builder must list every diskimage).
 */
export function buildsToKeep(image: ImageSnapshot, config: CleanupConfig): Set<string> {
  if (!config.diskimages.has(image.name)) return new Set();
  const ready = image.builds.map((b) => b.build).filter((b) => b.state === 'ready');
  return new Set(byStateTimeDesc(ready).slice(0, KEEP_BUILDS).map((b) => b.id));
}

/**
 * Upstream _buildUploadRecencyTable: per provider, across the image's READY
 * builds, the 2 newest READY uploads by upload state_time (each build's own 2
 * newest first, then the best 2 of those, as upstream sorts). Returns
 * uploadKey()s.
 */
export function recentUploads(image: ImageSnapshot): Set<string> {
  const perProvider = new Map<string, Array<{ key: string; stateTime: number | null }>>();
  for (const { build, uploads } of image.builds) {
    if (build.state !== 'ready') continue;
    for (const [provider, records] of uploads) {
      const ready = byStateTimeDesc(records.filter((u) => u.state === 'ready')).slice(0, KEEP_UPLOADS);
      const list = perProvider.get(provider) ?? [];
      list.push(...ready.map((u) => ({ key: uploadKey(build.id, provider, u.id), stateTime: u.stateTime })));
      perProvider.set(provider, list);
    }
  }
  const recent = new Set<string>();
  for (const list of perProvider.values()) {
    for (const entry of byStateTimeDesc(list).slice(0, KEEP_UPLOADS)) recent.add(entry.key);
  }
  return recent;
}

export function uploadKey(buildId: string, provider: string, uploadId: string): string {
  return `${buildId}/${provider}/${uploadId}`;
}
