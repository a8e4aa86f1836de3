/**
 * Nodepool's image data API (nodepool/zk/zookeeper.py, the image half of the
 * `ZooKeeper` class), over Kiln's `Zk`. Method names are upstream's in
 * camelCase and behave the same, so the builder, the cleanup pass and the CLI
 * read and write exactly what Python peers do. Differences, each deliberate:
 *
 * - getBuilds never returns null entries for unreadable builds (upstream
 *   does when `states` is None, and then crashes sorting them);
 * - getBuildRequest computes `pending` reliably (build-request.ts);
 * - storeImageUpload checks that the build itself exists, not just `builds/`
 *   (upstream's check lets a racing upload re-create a deleted build as an
 *   empty znode; no Python peer relies on the lax check);
 * - pauseImage creates missing parents (upstream fails on an image with no
 *   znode yet);
 * - listings skip children that are not valid ids (upstream only skips
 *   `lock`; nothing else is ever written there).
 *
 * Reads fan out with many requests in flight (LimitedReader), batched into
 * multiRead requests when the client offers that.
 */
import { randomUUID } from 'node:crypto';
import type { Zk } from '../zk/zk-types.js';
import { ZkError } from '../errors/zk-error.js';
import { ZkLock } from '../zk/lock.js';
import type { BuildRequest, BuildState, ImageBuild, ImageUpload, UploadState } from './types.js';
import { LimitedReader } from './limited-reader.js';
import { parseImageBuild, serializeImageBuild, type ImageBuildData } from './image-build.js';
import { parseImageUpload, serializeImageUpload, type ImageUploadData } from './image-upload.js';
import { buildRequestStatus } from './build-request.js';
import { byStateTimeDesc, firstN } from './recency.js';
import { ModelError } from './model-error.js';
import {
  IMAGE_ROOT,
  checkName,
  imageBuildLockPath,
  imageBuildNumberLockPath,
  imageBuildPath,
  imageBuildRequestPath,
  imageBuildsPath,
  imagePausePath,
  imageProvidersPath,
  imageUploadLockPath,
  imageUploadNumberLockPath,
  imageUploadPath,
  imageUploadsPath,
  isValidBuildId,
  isValidName,
  isValidUploadId,
  listIds,
} from './paths.js';

export interface ImageStoreOptions {
  /** ZooKeeper requests in flight during listings; default 256 */
  concurrency?: number;
}

export class ImageStore {
  private readonly reader: LimitedReader;

  constructor(
    readonly zk: Zk,
    options: ImageStoreOptions = {},
  ) {
    this.reader = new LimitedReader(zk, options.concurrency);
  }

  // --- images, pause, manual build requests ---------------------------------

  /** Image names present in ZooKeeper, sorted. */
  async getImageNames(): Promise<string[]> {
    const names = (await this.reader.getChildren(IMAGE_ROOT)) ?? [];
    return names.filter(isValidName).sort();
  }

  async getImagePaused(image: string): Promise<boolean> {
    return (await this.reader.exists(imagePausePath(image))) !== null;
  }

  /** `image-pause`: idempotent. Uploads continue while paused; builds stop. */
  async pauseImage(image: string): Promise<void> {
    await ignoreCode('KILN_ZK_NODE_EXISTS', this.zk.create(imagePausePath(image), '', { makeParents: true }));
  }

  async unpauseImage(image: string): Promise<void> {
    await this.zk.delete(imagePausePath(image));
  }

  /** `nodepool image-build X` (ensure_path of request-build). */
  async submitBuildRequest(image: string): Promise<void> {
    await this.zk.ensurePath(imageBuildRequestPath(image));
  }

  async removeBuildRequest(image: string): Promise<void> {
    await this.zk.delete(imageBuildRequestPath(image));
  }

  async hasBuildRequest(image: string): Promise<boolean> {
    return (await this.reader.exists(imageBuildRequestPath(image))) !== null;
  }

  async getBuildRequest(image: string): Promise<BuildRequest | null> {
    const request = await this.reader.exists(imageBuildRequestPath(image));
    if (request === null) return null;
    const contenders = (await this.reader.getChildren(imageBuildLockPath(image))) ?? [];
    // Build ctimes only matter while someone holds (or waits for) the build lock.
    const buildCtimesMs = contenders.length > 0 ? await this.buildCtimes(image) : [];
    return buildRequestStatus({ image, requestCtimeMs: request.ctime, lockContenders: contenders.length, buildCtimesMs });
  }

  // --- builds -----------------------------------------------------------------

  /** Build ids sorted (upstream: ZooKeeper's arbitrary order), without the `lock` child. */
  async getBuildIds(image: string): Promise<string[]> {
    return listIds(await this.reader.getChildren(imageBuildsPath(image)), isValidBuildId).sort();
  }

  /** null when missing or when its data is not a readable record (e.g. an orphan made by a lock). */
  async getBuild(image: string, buildId: string): Promise<ImageBuild | null> {
    const node = await this.reader.get(imageBuildPath(image, buildId));
    return node ? parseImageBuild(node.data, image, buildId, node.stat) : null;
  }

  /** Readable builds, sorted by id; with `states`, only those in one of them. */
  async getBuilds(image: string, states?: readonly BuildState[]): Promise<ImageBuild[]> {
    const ids = await this.getBuildIds(image);
    const builds = await Promise.all(ids.map((id) => this.getBuild(image, id)));
    return builds.filter((b): b is ImageBuild => b !== null && (!states || (b.state !== null && states.includes(b.state))));
  }

  /** Newest first by state_time; `count` null = all. */
  async getMostRecentBuilds(count: number | null, image: string, state?: BuildState): Promise<ImageBuild[]> {
    const builds = await this.getBuilds(image, state ? [state] : undefined);
    return firstN(byStateTimeDesc(builds), count);
  }

  /**
   * Creates a build (new uuid4-hex id, parents made as needed) and returns its
   * id, or overwrites an existing one when `buildId` is given (ZkError
   * KILN_ZK_NO_NODE if it is gone). Hold the image build lock when creating.
   */
  async storeBuild(image: string, build: ImageBuildData, buildId?: string): Promise<string> {
    const data = serializeImageBuild(build);
    if (buildId !== undefined) {
      await this.zk.set(imageBuildPath(image, buildId), data);
      return buildId;
    }
    const id = randomUUID().replace(/-/g, '');
    await this.zk.create(imageBuildPath(image, id), data, { makeParents: true });
    return id;
  }

  /**
   * Deletes a build with its lock and provider nodes. Refuses (false) while
   * any upload znode remains under any provider; true when deleted or absent.
   */
  async deleteBuild(image: string, buildId: string): Promise<boolean> {
    const providers = await this.getBuildProviders(image, buildId);
    const uploads = await Promise.all(providers.map((p) => this.getImageUploadNumbers(image, buildId, p)));
    if (uploads.some((ids) => ids.length > 0)) return false;
    await this.zk.delete(imageBuildPath(image, buildId), { recursive: true });
    return true;
  }

  // --- uploads ----------------------------------------------------------------

  /** Providers with a node under the build, sorted. */
  async getBuildProviders(image: string, buildId: string): Promise<string[]> {
    const names = (await this.reader.getChildren(imageProvidersPath(image, buildId))) ?? [];
    return names.filter(isValidName).sort();
  }

  /** Upload ids in listing order, without the `lock` child. */
  async getImageUploadNumbers(image: string, buildId: string, provider: string): Promise<string[]> {
    return listIds(await this.reader.getChildren(imageUploadsPath(image, buildId, provider)), isValidUploadId);
  }

  async getImageUpload(image: string, buildId: string, provider: string, uploadId: string): Promise<ImageUpload | null> {
    const node = await this.reader.get(imageUploadPath(image, buildId, provider, uploadId));
    return node ? parseImageUpload(node.data, { image, buildId, provider, id: uploadId }) : null;
  }

  async getUploads(image: string, buildId: string, provider: string, states?: readonly UploadState[]): Promise<ImageUpload[]> {
    const ids = await this.getImageUploadNumbers(image, buildId, provider);
    const uploads = await Promise.all(ids.map((id) => this.getImageUpload(image, buildId, provider, id)));
    return uploads.filter((u): u is ImageUpload => u !== null && (!states || (u.state !== null && states.includes(u.state))));
  }

  /** One build's uploads to one provider, newest first by state_time; `count` null = all. */
  async getMostRecentBuildImageUploads(
    count: number | null,
    image: string,
    buildId: string,
    provider: string,
    state?: UploadState,
  ): Promise<ImageUpload[]> {
    const uploads = await this.getUploads(image, buildId, provider, state ? [state] : undefined);
    return firstN(byStateTimeDesc(uploads), count);
  }

  /**
   * What launchers boot from: across ALL builds of the image, the upload to
   * `provider` in `state` with the largest state_time (not the newest build's),
   * so deleting the newest upload falls back to the previous one.
   */
  async getMostRecentImageUpload(image: string, provider: string, state: UploadState = 'ready'): Promise<ImageUpload | null> {
    checkName('provider', provider);
    const ids = await this.getBuildIds(image);
    const perBuild = await Promise.all(ids.map((id) => this.getUploads(image, id, provider, [state])));
    let recent: ImageUpload | null = null;
    for (const upload of perBuild.flat()) {
      // Strictly greater, as upstream: the first one listed wins a tie.
      if (recent === null || (upload.stateTime ?? -Infinity) > (recent.stateTime ?? -Infinity)) recent = upload;
    }
    return recent;
  }

  /**
   * Creates an upload (sequence node `…/images/<10 digits>`) and returns its
   * id, or overwrites `uploadId`. The build znode must exist (ModelError
   * KILN_BUILD_NOT_FOUND). `images/lock` is made first, as the upload worker's
   * lock does upstream, so the first upload is 0000000001.
   */
  async storeImageUpload(
    image: string,
    buildId: string,
    provider: string,
    upload: ImageUploadData,
    uploadId?: string,
  ): Promise<string> {
    const data = serializeImageUpload(upload);
    if (uploadId !== undefined) {
      await this.zk.set(imageUploadPath(image, buildId, provider, uploadId), data);
      return uploadId;
    }
    if ((await this.zk.exists(imageBuildPath(image, buildId))) === null) {
      throw new ModelError('KILN_BUILD_NOT_FOUND', `Cannot find build ${buildId} of image ${image}`);
    }
    await this.zk.ensurePath(imageUploadLockPath(image, buildId, provider));
    const created = await this.zk.create(`${imageUploadsPath(image, buildId, provider)}/`, data, { mode: 'persistent_sequential' });
    return created.slice(created.lastIndexOf('/') + 1);
  }

  /** Deletes an upload with its lock node; absent is fine. */
  async deleteUpload(image: string, buildId: string, provider: string, uploadId: string): Promise<void> {
    await this.zk.delete(imageUploadPath(image, buildId, provider, uploadId), { recursive: true });
  }

  // --- locks (kazoo Lock recipe; returned not yet acquired) --------------------

  /** Held by the build worker for the whole DIB run; cleanup probes it. */
  imageBuildLock(image: string): ZkLock {
    return new ZkLock(this.zk, imageBuildLockPath(image));
  }

  /** Cleanup, while flipping a build to `deleting`. */
  imageBuildNumberLock(image: string, buildId: string): ZkLock {
    return new ZkLock(this.zk, imageBuildNumberLockPath(image, buildId));
  }

  /** Held by the upload worker for the whole upload; cleanup probes it. */
  imageUploadLock(image: string, buildId: string, provider: string): ZkLock {
    return new ZkLock(this.zk, imageUploadLockPath(image, buildId, provider));
  }

  /** Cleanup, while setting an upload `deleting` and deleting its record. */
  imageUploadNumberLock(image: string, buildId: string, provider: string, uploadId: string): ZkLock {
    return new ZkLock(this.zk, imageUploadNumberLockPath(image, buildId, provider, uploadId));
  }

  // --- helpers ----------------------------------------------------------------

  private async buildCtimes(image: string): Promise<number[]> {
    const ids = await this.getBuildIds(image);
    const stats = await Promise.all(ids.map((id) => this.reader.exists(imageBuildPath(image, id))));
    return stats.flatMap((s) => (s ? [s.ctime] : []));
  }
}

async function ignoreCode(code: string, operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (err) {
    if (!(err instanceof ZkError && err.code === code)) throw err;
  }
}
