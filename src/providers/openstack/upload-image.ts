/**
 * One upload, start to finish (glance-api.md §6, recommended sequence):
 * check the format → create the image → stream the file (PUT …/file, or
 * glance-direct: PUT …/stage + POST …/import) → wait for `active` → compare
 * Glance's md5 with the bytes sent. Any failure deletes what this attempt
 * created; transient failures start a fresh attempt after a backoff, all
 * within `image-upload-timeout`.
 */
import { stat } from 'node:fs/promises';
import type { UploadedImage, UploadRequest } from '../types.js';
import { diskFormatFor } from './disk-formats.js';
import type { FormatProbe } from './format-probe.js';
import { glanceImageBody } from './glance-image-body.js';
import type { GlanceImage, GlanceImages } from './glance-images.js';
import { imageProperties } from './glance-images.js';
import { hashingFileStream, type HashingFileStream } from './hashing-file-stream.js';
import { isOpenStackError, OpenStackError } from './openstack-error.js';
import type { OpenStackLogger } from './openstack-logger.js';
import { defaultSleep } from './rate-limiter.js';
import { backoffDelay, isTransient, type RetryPolicy } from './retry.js';
import { waitForActive } from './wait-for-image.js';

export type UploadMethod = 'put' | 'glance-direct';

export interface UploadContext {
  cloud: string;
  images: GlanceImages;
  method: UploadMethod;
  /** attempts of the whole create→upload→verify sequence, and their backoff */
  attempts: RetryPolicy;
  pollMs: number;
  /** idle timeout of the data transfer (Glance may be slow to answer after the last byte) */
  transferTimeoutMs: number;
  probe: FormatProbe;
  logger: OpenStackLogger;
}

export async function uploadImage(ctx: UploadContext, request: UploadRequest): Promise<UploadedImage> {
  const diskFormat = diskFormatFor(request.format, ctx.cloud);
  const body = glanceImageBody({ name: request.imageName, diskFormat, metadata: request.metadata, cloud: ctx.cloud, ...checksums(request) });
  const size = await fileSize(request.filePath, ctx.cloud);
  await ctx.probe(request.filePath, request.format, ctx.cloud);
  const deadline = AbortSignal.timeout(request.timeoutSeconds * 1000);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  try {
    if (ctx.method === 'glance-direct') await requireImportMethod(ctx, signal);
    const file = hashingFileStream(request.filePath, request.md5);
    for (let attempt = 1; ; attempt++) {
      try {
        return await attemptUpload(ctx, { request, body, size, file, signal });
      } catch (err) {
        if (attempt >= ctx.attempts.attempts || !isTransient(err) || signal.aborted) throw err;
        const delayMs = backoffDelay(attempt, ctx.attempts);
        ctx.logger.warn({ cloud: ctx.cloud, image: request.imageName, attempt, delayMs, err: (err as Error).message }, 'upload attempt failed, retrying');
        await defaultSleep(delayMs, signal);
      }
    }
  } catch (err) {
    throw explainAbort(err, { deadline, request, cloud: ctx.cloud });
  }
}

interface Attempt {
  request: UploadRequest;
  body: Record<string, unknown>;
  size: number;
  file: HashingFileStream;
  signal: AbortSignal;
}

async function attemptUpload(ctx: UploadContext, attempt: Attempt): Promise<UploadedImage> {
  let created: GlanceImage | undefined;
  try {
    created = (await ctx.images.create(attempt.body, attempt.signal)).image;
    ctx.logger.info({ cloud: ctx.cloud, imageId: created.id, image: attempt.request.imageName, method: ctx.method }, 'image created, uploading data');
    await transfer(ctx, created.id, attempt);
    const active = await waitForActive(ctx.images, created.id, { pollMs: ctx.pollMs, cloud: ctx.cloud, signal: attempt.signal });
    verify(active, attempt, ctx.cloud);
    return { externalId: active.id, externalName: active.name };
  } catch (err) {
    await removeHalfCreated(ctx, created, attempt, err);
    throw mapCreateError(err, ctx.cloud, created === undefined);
  }
}

async function transfer(ctx: UploadContext, id: string, attempt: Attempt): Promise<void> {
  const data = { stream: attempt.file.open, size: attempt.size, timeoutMs: ctx.transferTimeoutMs, signal: attempt.signal };
  if (ctx.method === 'put') return ctx.images.upload(id, { target: 'file', ...data });
  await ctx.images.upload(id, { target: 'stage', ...data });
  await ctx.images.import(id, 'glance-direct', attempt.signal);
}

/**
 * Glance's md5 must equal the file's: DIB's `.md5` value when given (as
 * openstacksdk compares it for nodepool), else the md5 of the bytes we
 * streamed. A mismatch is retried as a fresh upload (the usual
 * cause is a damaged transfer; a file damaged on disk fails every attempt).
 */
function verify(image: GlanceImage, attempt: Attempt, cloud: string): void {
  const sent = attempt.file.md5();
  const mismatch = (what: string): OpenStackError =>
    new OpenStackError('KILN_OPENSTACK_CHECKSUM_MISMATCH', `image ${image.id} on cloud "${cloud}": ${what}`, { cloud });
  if (typeof image.size === 'number' && image.size !== attempt.size) throw mismatch(`Glance stored ${image.size} bytes, the file has ${attempt.size}`);
  if (sent && image.checksum && image.checksum !== sent) throw mismatch(`Glance's checksum ${image.checksum} differs from the file's md5 ${sent}`);
}

/**
 * Deletes the image this attempt created. When the create call itself failed
 * in a way that may have reached Glance (timeout, dropped connection, 5xx),
 * the id is unknown: find the twin by name and by this upload's properties.
 */
async function removeHalfCreated(ctx: UploadContext, created: GlanceImage | undefined, attempt: Attempt, cause: unknown): Promise<void> {
  // an aborted create may have reached Glance just as well as a timed-out one
  const ambiguous = isTransient(cause) || isOpenStackError(cause, 'KILN_OPENSTACK_ABORTED');
  const ids = created ? [created.id] : ambiguous ? await findOrphans(ctx, attempt) : [];
  for (const id of ids) {
    try {
      await ctx.images.delete(id);
      ctx.logger.info({ cloud: ctx.cloud, imageId: id }, 'deleted the half-created image');
    } catch (err) {
      // the caller's failure stays the one reported; alien-image-list will show the leftover
      ctx.logger.warn({ cloud: ctx.cloud, imageId: id, err: (err as Error).message }, 'could not delete the half-created image');
    }
  }
}

async function findOrphans(ctx: UploadContext, attempt: Attempt): Promise<string[]> {
  try {
    const named = await ctx.images.list({ name: attempt.request.imageName });
    return named
      .filter((image) => image.status !== 'active')
      .filter((image) => {
        const props = imageProperties(image);
        return Object.entries(attempt.request.metadata).every(([key, value]) => props[key] === value);
      })
      .map((image) => image.id);
  } catch (err) {
    ctx.logger.warn({ cloud: ctx.cloud, image: attempt.request.imageName, err: (err as Error).message }, 'could not look for a half-created image');
    return [];
  }
}

/** A 400/403 on create is about our body: name the format or the property Glance refused. */
function mapCreateError(err: unknown, cloud: string, duringCreate: boolean): unknown {
  if (!duringCreate || !isOpenStackError(err, 'KILN_OPENSTACK_HTTP')) return err;
  if (err.status === 400 && /format/i.test(err.message)) {
    return new OpenStackError('KILN_OPENSTACK_FORMAT_REJECTED', `cloud "${cloud}" rejected the image format: ${err.message}`, { cloud, status: 400, cause: err });
  }
  if (err.status === 400 || err.status === 403) {
    return new OpenStackError('KILN_OPENSTACK_PROPERTY_REJECTED', `cloud "${cloud}" rejected the image properties: ${err.message}`, { cloud, status: err.status, cause: err });
  }
  return err;
}

async function requireImportMethod(ctx: UploadContext, signal: AbortSignal): Promise<void> {
  const methods = await ctx.images.importMethods(signal);
  if (!methods.includes('glance-direct')) {
    throw new OpenStackError(
      'KILN_OPENSTACK_IMPORT_UNSUPPORTED',
      `cloud "${ctx.cloud}" does not offer the glance-direct import method (offered: ${methods.join(', ') || 'none'}); use upload-method: put`,
      { cloud: ctx.cloud },
    );
  }
}

/** The deadline firing is a timeout, not a cancellation; a sleep's rejection reason is not a KilnError. */
function explainAbort(err: unknown, { deadline, request, cloud }: { deadline: AbortSignal; request: UploadRequest; cloud: string }): unknown {
  if (deadline.aborted && !request.signal?.aborted) {
    return new OpenStackError('KILN_OPENSTACK_UPLOAD_TIMEOUT', `upload of ${request.imageName} to cloud "${cloud}" did not finish within ${request.timeoutSeconds} s (image-upload-timeout)`, { cloud, cause: err });
  }
  if (request.signal?.aborted && !isOpenStackError(err, 'KILN_OPENSTACK_ABORTED')) {
    return new OpenStackError('KILN_OPENSTACK_ABORTED', `upload of ${request.imageName} to cloud "${cloud}" was cancelled`, { cloud, cause: err });
  }
  return err;
}

function checksums(request: UploadRequest): { md5?: string; sha256?: string } {
  return { ...(request.md5 ? { md5: request.md5 } : {}), ...(request.sha256 ? { sha256: request.sha256 } : {}) };
}

async function fileSize(path: string, cloud: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    throw new OpenStackError('KILN_OPENSTACK_FILE', `cannot upload ${path}: ${(err as Error).message}`, { cloud, cause: err });
  }
}
