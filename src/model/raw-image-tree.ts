/**
 * One parallel sweep over /nodepool/images, keeping every znode's raw data:
 * the shared walk behind the tree snapshot (which parses it) and
 * export-image-data (which copies it). Each request is issued as soon as its
 * parent's answer is known, through a LimitedReader (many requests in flight
 * on the one pipelined socket, or batched into multiRead requests), and no
 * level waits for another image's or build's requests.
 *
 * Orders are upstream's: images sorted, builds and uploads in listing
 * (server) order, providers sorted. `lock` children and children that are not
 * valid ids are skipped; nodes deleted during the sweep are left out. Not
 * atomic (ZooKeeper has no snapshot read, multiRead included): a tree
 * changing meanwhile may be seen half-way, as with Nodepool's own walks.
 */
import type { ZkStat } from '../zk/zk-types.js';
import type { LimitedReader } from './limited-reader.js';
import {
  IMAGE_ROOT,
  imageBuildLockPath,
  imageBuildRequestPath,
  imageBuildsPath,
  imagePausePath,
  isValidBuildId,
  isValidName,
  isValidUploadId,
  listIds,
} from './paths.js';

export interface RawImage {
  name: string;
  pause: ZkStat | null;
  request: ZkStat | null;
  /** children of builds/lock */
  lockHolders: string[];
  builds: RawBuild[];
}

export interface RawBuild {
  id: string;
  data: Buffer;
  stat: ZkStat;
  /** sorted by provider name */
  providers: RawProvider[];
}

export interface RawProvider {
  name: string;
  uploads: RawUpload[];
}

export interface RawUpload {
  id: string;
  data: Buffer;
}

export interface RawTreeScope {
  /** only these images (those absent from ZooKeeper are left out) */
  images?: readonly string[];
  /** read providers and uploads too (default true); listings of builds skip them */
  uploads?: boolean;
}

export async function readRawImageTree(reader: LimitedReader, scope: RawTreeScope = {}): Promise<RawImage[]> {
  const present = ((await reader.getChildren(IMAGE_ROOT)) ?? []).filter(isValidName);
  const wanted = scope.images ? present.filter((name) => scope.images?.includes(name)) : present;
  return Promise.all(wanted.sort().map((name) => readImage(reader, name, scope.uploads !== false)));
}

// Below, child paths are joined onto their parent's: every name comes from a
// listing and was filtered by isValid*, so re-validating each level (as the
// path builders do) would only cost time on a 60,000-node walk.

async function readImage(reader: LimitedReader, name: string, uploads: boolean): Promise<RawImage> {
  const buildsPath = imageBuildsPath(name);
  const [pause, request, lockHolders, buildIds] = await Promise.all([
    reader.exists(imagePausePath(name)),
    reader.exists(imageBuildRequestPath(name)),
    reader.getChildren(imageBuildLockPath(name)),
    reader.getChildren(buildsPath),
  ]);
  const builds = await Promise.all(listIds(buildIds, isValidBuildId).map((id) => readBuild(reader, `${buildsPath}/${id}`, id, uploads)));
  return { name, pause, request, lockHolders: lockHolders ?? [], builds: builds.filter((b): b is RawBuild => b !== null) };
}

async function readBuild(reader: LimitedReader, buildPath: string, id: string, uploads: boolean): Promise<RawBuild | null> {
  const node = await reader.get(buildPath);
  if (node === null) return null;
  // No children means no providers node: save the round trip.
  const providersPath = `${buildPath}/providers`;
  const names = uploads && node.stat.numChildren > 0 ? ((await reader.getChildren(providersPath)) ?? []) : [];
  const providers = await Promise.all(
    names
      .filter(isValidName)
      .sort()
      .map((name) => readProvider(reader, `${providersPath}/${name}/images`, name)),
  );
  return { id, data: node.data, stat: node.stat, providers };
}

async function readProvider(reader: LimitedReader, uploadsPath: string, name: string): Promise<RawProvider> {
  const ids = listIds(await reader.getChildren(uploadsPath), isValidUploadId);
  const nodes = await Promise.all(ids.map((id) => reader.get(`${uploadsPath}/${id}`)));
  const uploads: RawUpload[] = [];
  nodes.forEach((node, i) => {
    if (node) uploads.push({ id: ids[i] as string, data: node.data });
  });
  return { name, uploads };
}
