/**
 * Upstream's _deleteUpload as actions: a record not yet `deleting` (and not
 * being uploaded right now) is marked `deleting`, then the cloud image is
 * deleted by id and the record removed. Two actions, so a cloud that keeps
 * failing leaves a `deleting` record that the next cycle retries.
 */
import type { ImageUpload } from '../../model/types.js';
import type { CleanupAction } from './cleanup-actions.js';
import { providerKey, type LockFacts } from './cleanup-input.js';

/** [] when the upload must be left alone (in progress, or a state this version does not know). */
export function planUploadDeletion(upload: ImageUpload, reason: string, locks: LockFacts): CleanupAction[] {
  const ref = { image: upload.image, buildId: upload.buildId, provider: upload.provider, uploadId: upload.id };
  const finish: CleanupAction = { type: 'delete-cloud-image-and-record', upload: ref, externalId: upload.externalId, reason };
  switch (upload.state) {
    case 'deleting':
      return [finish];
    case 'uploading':
      if (uploadInProgress(upload, locks)) return [];
      break;
    case 'ready':
    case 'failed':
      break;
    case null:
      return [];
  }
  return [{ type: 'mark-upload-deleting', upload: ref, planned: { state: upload.state, stateTime: upload.stateTime }, reason }, finish];
}

/** An `uploading` record is alive while its (build, provider) upload lock is held (upstream _inProgressUpload). */
export function uploadInProgress(upload: ImageUpload, locks: LockFacts): boolean {
  return upload.state === 'uploading' && locks.busyUploadLocks.has(providerKey(upload.image, upload.buildId, upload.provider));
}
