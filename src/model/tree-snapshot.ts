/**
 * The whole /nodepool/images tree as records, read in one parallel sweep
 * (raw-image-tree.ts), for listings (dib-image-list, image-list,
 * image-status) and the cleanup pass.
 *
 * Same rules as the per-call API (ImageStore): unreadable builds and uploads
 * are left out, images sorted, builds sorted by id (upstream lists them in
 * ZooKeeper's arbitrary child order; a stable order is kinder), providers sorted,
 * uploads in id order; `buildRequest` as getBuildRequest computes it.
 */
import type { Zk } from '../zk/zk-types.js';
import type { BuildSnapshot, ImageSnapshot, ImageTreeSnapshot, ImageUpload } from './types.js';
import { LimitedReader } from './limited-reader.js';
import { readRawImageTree, type RawBuild, type RawImage } from './raw-image-tree.js';
import { parseImageBuild } from './image-build.js';
import { parseImageUpload } from './image-upload.js';
import { buildRequestStatus } from './build-request.js';

export interface ReadImageTreeOptions {
  /** requests in flight; default 256 */
  concurrency?: number;
  /** only these images (those absent from ZooKeeper are left out) */
  images?: string[];
  /** false: skip providers and uploads (every build's `uploads` map is empty) — for build listings */
  uploads?: boolean;
}

export async function readImageTree(zk: Zk, options: ReadImageTreeOptions = {}): Promise<ImageTreeSnapshot> {
  const raw = await readRawImageTree(new LimitedReader(zk, options.concurrency), {
    ...(options.images ? { images: options.images } : {}),
    uploads: options.uploads !== false,
  });
  return { images: raw.map(toImageSnapshot) };
}

function toImageSnapshot(image: RawImage): ImageSnapshot {
  const buildRequest = image.request
    ? buildRequestStatus({
        image: image.name,
        requestCtimeMs: image.request.ctime,
        lockContenders: image.lockHolders.length,
        buildCtimesMs: image.builds.map((b) => b.stat.ctime), // unreadable builds count too
      })
    : null;
  return {
    name: image.name,
    paused: image.pause !== null,
    buildRequest,
    buildLockHolders: image.lockHolders,
    builds: image.builds
      .flatMap((b) => {
        const snapshot = toBuildSnapshot(image.name, b);
        return snapshot ? [snapshot] : [];
      })
      .sort((a, b) => (a.build.id < b.build.id ? -1 : a.build.id > b.build.id ? 1 : 0)),
  };
}

function toBuildSnapshot(image: string, raw: RawBuild): BuildSnapshot | null {
  const build = parseImageBuild(raw.data, image, raw.id, raw.stat);
  if (build === null) return null;
  const uploads = new Map<string, ImageUpload[]>();
  for (const provider of raw.providers) {
    const records = [...provider.uploads]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((u) => parseImageUpload(u.data, { image, buildId: raw.id, provider: provider.name, id: u.id }))
      .filter((u): u is ImageUpload => u !== null);
    uploads.set(provider.name, records);
  }
  return { build, uploads };
}
