/**
 * One upload attempt (upstream UploadWorker._checkProviderImageUpload and
 * _uploadImage, nodepool-compat.md 5): under the upload lock (non-blocking:
 * busy → skip), re-check that the build is still ready and has no ready
 * upload for the provider, store an `uploading` record (new sequence id), upload the
 * local file of the provider's format with the name from `image-name-format`
 * and upstream's metadata keys, run the post-upload hook, then overwrite the
 * record `ready` or `failed`. One record per attempt: a retry gets a new id.
 *
 * Fixes of upstream quirks: a missing local file is found before a record is
 * made (upstream leaves an `uploading` record behind); a failing hook deletes
 * the cloud image by id (upstream's call is broken and leaks it); a cancelled
 * upload (daemon stop) is recorded `failed` instead of left `uploading`.
 */
import { withLockIfFree } from '../zk/with-lock-if-free.js';
import type { ImageUploadData } from '../model/image-upload.js';
import { nowSeconds } from '../model/record-state.js';
import { BuilderError } from './builder-error.js';
import { findLocalBuild, readChecksums } from './local-images.js';
import { runPostUploadHook } from './post-upload-hook.js';
import { externalImageName, uploadMetadata } from './upload-metadata.js';
import type { WorkerContext } from './worker-context.js';

export interface UploadJob {
  image: string;
  buildId: string;
  provider: string;
}

export type UploadOutcome =
  | { kind: 'skipped'; why: 'lock-busy' | 'not-due' }
  | { kind: 'uploaded'; uploadId: string; state: 'ready' | 'failed'; error?: unknown };

export async function runUpload(ctx: WorkerContext, job: UploadJob, signal: AbortSignal): Promise<UploadOutcome> {
  const lock = ctx.store.imageUploadLock(job.image, job.buildId, job.provider);
  const outcome = await withLockIfFree(
    lock,
    () => uploadLocked(ctx, job, signal),
    (err) => ctx.logger.warn({ err, ...job }, 'releasing the upload lock failed'),
  );
  return outcome === 'busy' ? { kind: 'skipped', why: 'lock-busy' } : outcome;
}

async function uploadLocked(ctx: WorkerContext, job: UploadJob, signal: AbortSignal): Promise<UploadOutcome> {
  const config = ctx.config();
  const image = config.diskimages.get(job.image);
  const providerConfig = config.providers.get(job.provider);
  const providerImage = providerConfig?.diskimages.find((d) => d.name === job.image);
  const cloud = ctx.provider(job.provider);
  if (!image || !providerConfig || !providerImage || providerImage.pause || !cloud || !providerConfig.imageType || signal.aborted) {
    return { kind: 'skipped', why: 'not-due' };
  }
  const [readyUploads, build] = await Promise.all([
    ctx.store.getUploads(job.image, job.buildId, job.provider, ['ready']),
    ctx.store.getBuild(job.image, job.buildId),
  ]);
  if (readyUploads.length > 0 || build?.state !== 'ready') return { kind: 'skipped', why: 'not-due' };
  const local = await findLocalBuild(ctx.imagesDir, job.image, job.buildId);
  const file = local?.files.find((f) => f.format === providerConfig.imageType);
  if (!file) return { kind: 'skipped', why: 'not-due' };

  const base: Omit<ImageUploadData, 'state' | 'stateTime'> = {
    externalId: null,
    externalName: null,
    format: null,
    username: image.username,
    pythonPath: image.pythonPath,
    shellType: image.shellType,
  };
  const uploadId = await ctx.store.storeImageUpload(job.image, job.buildId, job.provider, { ...base, state: 'uploading', stateTime: nowSeconds() });
  const log = ctx.logger.child({ image: job.image, buildId: job.buildId, provider: job.provider, uploadId });
  const started = Date.now();
  ctx.events.emit('upload:started', { ...job, uploadId });
  const externalName = externalImageName(providerConfig.imageNameFormat, {
    imageName: job.image,
    timestamp: Math.trunc(started / 1000),
    uploadId,
    buildId: job.buildId,
  });
  log.info({ file: file.path, externalName }, 'upload started');

  let externalId: string | null = null;
  let error: unknown;
  try {
    const uploaded = await cloud.uploadImage({
      imageName: externalName,
      filePath: file.path,
      format: file.format,
      metadata: uploadMetadata({
        diskimageMetadata: image.metadata,
        providerMeta: providerImage.meta,
        buildId: job.buildId,
        uploadId,
        providerName: job.provider,
      }),
      ...(await readChecksums(file.path)),
      timeoutSeconds: providerConfig.imageUploadTimeout,
      signal,
    });
    externalId = uploaded.externalId;
    if (providerConfig.postUploadHook) {
      try {
        await runPostUploadHook(providerConfig.postUploadHook, job.provider, uploaded.externalId, file.path, signal);
      } catch (err) {
        await cloud.deleteImage(uploaded.externalId).catch((e: unknown) => log.error({ err: e }, 'deleting the image after a failed hook failed'));
        externalId = null;
        throw err;
      }
    }
    if (signal.aborted) throw new BuilderError('KILN_BUILDER_STOPPED', 'the builder is stopping');
  } catch (err) {
    error = err;
  }
  const state = error === undefined ? 'ready' : 'failed';
  const record: ImageUploadData =
    state === 'ready'
      ? { ...base, state, stateTime: nowSeconds(), externalId, externalName, format: file.format }
      : { ...base, state, stateTime: nowSeconds() };
  await ctx.store.storeImageUpload(job.image, job.buildId, job.provider, record, uploadId);
  const durationMs = Date.now() - started;
  if (error === undefined) log.info({ externalId, durationMs }, 'upload finished');
  else log.error({ err: error, durationMs }, 'upload failed');
  ctx.events.emit('upload:finished', {
    ...job,
    uploadId,
    state,
    externalId,
    durationMs,
    ...(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }),
  });
  return { kind: 'uploaded', uploadId, state, ...(error === undefined ? {} : { error }) };
}
