/**
 * Upload actions with upstream's safety (nodepool-compat.md §3.6, §6):
 * the upload lock proves an `uploading` record dead, the upload-number lock
 * guards marking and removing a record, the cloud image goes by id before
 * its record, and a failing cloud delete keeps the record for the next cycle.
 */
import type { ImageUpload, UploadState } from '../../model/types.js';
import { imageUploadPath } from '../../model/paths.js';
import { withState } from '../../model/record-state.js';
import { isKilnError } from '../../errors/kiln-error.js';
import type { DeleteCloudImageAndRecordAction, DeleteUploadRecordAction, MarkUploadDeletingAction, UploadRef } from './cleanup-actions.js';
import { APPLIED, busyOr, changedSince, skipped, type ApplyDeps, type ApplyOutcome } from './apply-context.js';
import { removeLockOrphan, withLockIfFree } from './lock-if-free.js';
import { CleanupError } from './cleanup-error.js';

export async function applyDeleteUploadRecord(deps: ApplyDeps, action: DeleteUploadRecordAction): Promise<ApplyOutcome> {
  const u = action.upload;
  const precheck = await recheck(deps, u, action.planned);
  if (precheck) return precheck;
  const result = await withLockIfFree(deps.store.imageUploadLock(u.image, u.buildId, u.provider), async () => {
    const again = await recheck(deps, u, action.planned);
    if (again) return again;
    await deps.store.deleteUpload(u.image, u.buildId, u.provider, u.uploadId);
    return APPLIED;
  });
  return busyOr(result, 'upload lock is held: the upload is in progress');
}

export async function applyMarkUploadDeleting(deps: ApplyDeps, action: MarkUploadDeletingAction): Promise<ApplyOutcome> {
  const u = action.upload;
  const precheck = await recheck(deps, u, action.planned);
  if (precheck) return precheck;
  const mark = async (): Promise<ApplyOutcome> => {
    const result = await withLockIfFree(deps.store.imageUploadNumberLock(u.image, u.buildId, u.provider, u.uploadId), async () => {
      const current = await readUpload(deps, u);
      if (current === null) return gone(deps, u);
      const changed = changedSince(current, action.planned);
      if (changed) return skipped(changed);
      // Keep every other field: upstream once lost external_name here and leaked cloud images.
      await deps.store.storeImageUpload(u.image, u.buildId, u.provider, withState<ImageUpload, UploadState>(current, 'deleting'), u.uploadId);
      return APPLIED;
    });
    return busyOr(result, 'upload-number lock is held');
  };
  if (action.planned.state !== 'uploading') return mark();
  // An `uploading` record may only be touched while its upload lock is free (the uploader died).
  const result = await withLockIfFree(deps.store.imageUploadLock(u.image, u.buildId, u.provider), mark);
  return busyOr(result, 'upload lock is held: the upload is in progress');
}

export async function applyDeleteCloudImageAndRecord(deps: ApplyDeps, action: DeleteCloudImageAndRecordAction): Promise<ApplyOutcome> {
  const u = action.upload;
  const current = await readUpload(deps, u);
  if (current === null) return skipped('record is gone');
  if (current.state !== 'deleting') return skipped(`record is ${current.state ?? 'unreadable'}, not deleting`);
  if (current.externalId !== action.externalId) return skipped(`record changed since the snapshot (external id ${current.externalId})`);
  if (current.externalId !== null) await deleteCloudImage(deps, u, current.externalId);
  const result = await withLockIfFree(deps.store.imageUploadNumberLock(u.image, u.buildId, u.provider, u.uploadId), async () => {
    const again = await readUpload(deps, u);
    if (again === null) return gone(deps, u);
    if (again.state !== 'deleting') return skipped(`record is ${again.state ?? 'unreadable'}, not deleting`);
    await deps.store.deleteUpload(u.image, u.buildId, u.provider, u.uploadId);
    return APPLIED;
  });
  return busyOr(result, 'upload-number lock is held: the record is removed next cycle');
}

/** By id, never by name: names repeat (upstream's rule). */
async function deleteCloudImage(deps: ApplyDeps, u: UploadRef, externalId: string): Promise<void> {
  const provider = deps.providers.get(u.provider);
  if (!provider) {
    throw new CleanupError('KILN_CLEANUP_PROVIDER_UNAVAILABLE', `cannot delete image ${externalId}: no image provider ${u.provider} on this builder`);
  }
  try {
    await provider.deleteImage(externalId);
  } catch (err) {
    const detail = isKilnError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    throw new CleanupError('KILN_CLEANUP_CLOUD_DELETE_FAILED', `deleting image ${externalId} from ${u.provider} failed (retried next cycle): ${detail}`, {
      cause: err,
    });
  }
}

async function recheck(deps: ApplyDeps, u: UploadRef, planned: { state: string; stateTime: number | null }): Promise<ApplyOutcome | null> {
  const current = await readUpload(deps, u);
  if (current === null) return skipped('record is gone');
  const changed = changedSince(current, planned);
  return changed ? skipped(changed) : null;
}

function readUpload(deps: ApplyDeps, u: UploadRef): Promise<ImageUpload | null> {
  return deps.store.getImageUpload(u.image, u.buildId, u.provider, u.uploadId);
}

/** The record vanished while we took its lock: clean the empty znode the lock may have re-created. */
async function gone(deps: ApplyDeps, u: UploadRef): Promise<ApplyOutcome> {
  await removeLockOrphan(deps.store.zk, imageUploadPath(u.image, u.buildId, u.provider, u.uploadId));
  return skipped('record is gone');
}
