/**
 * What planCleanup decides and the applier carries out, one typed action per
 * effect. Each carries what the applier needs to re-check before acting (the
 * state it was planned from) and a `reason` for the logs. The applier takes
 * the locks upstream takes and skips an action whose record changed since
 * the snapshot, so a stale plan is never dangerous, only late.
 */
import type { BuildState, UploadState } from '../../model/types.js';
import type { LocalBuild, LocalImageFile } from '../local-images.js';

export interface UploadRef {
  image: string;
  buildId: string;
  provider: string;
  uploadId: string;
}

export interface BuildRef {
  image: string;
  buildId: string;
}

/** The record state an action was planned from; the applier skips when it changed. */
export interface Planned<S extends string> {
  state: S;
  stateTime: number | null;
}

/** A dead upload attempt (`uploading`, upload lock free): remove the record only; its cloud id was never known. */
export interface DeleteUploadRecordAction {
  type: 'delete-upload-record';
  upload: UploadRef;
  planned: Planned<'uploading'>;
  reason: string;
}

/** First half of upstream's _deleteUpload: store `deleting`, keeping every other field. */
export interface MarkUploadDeletingAction {
  type: 'mark-upload-deleting';
  upload: UploadRef;
  planned: Planned<UploadState>;
  reason: string;
}

/** Second half: delete the cloud image by id (when there is one), then the record. A cloud failure keeps the record. */
export interface DeleteCloudImageAndRecordAction {
  type: 'delete-cloud-image-and-record';
  upload: UploadRef;
  externalId: string | null;
  reason: string;
}

/** Flip a build to `deleting` (frees local disk early, even while a cloud refuses deletes). */
export interface MarkBuildDeletingAction {
  type: 'mark-build-deleting';
  build: BuildRef;
  planned: Planned<BuildState>;
  reason: string;
}

/** Delete a `deleting` build record that has no upload left. */
export interface DeleteBuildRecordAction {
  type: 'delete-build-record';
  build: BuildRef;
  reason: string;
}

/** Remove one of this builder's local builds: missing from ZooKeeper, or deleting. */
export interface DeleteLocalBuildAction {
  type: 'delete-local-build';
  local: LocalBuild;
  reason: string;
}

/** delete-after-upload: remove the formats no one needs any more (checksums too; the `.d` dir stays). */
export interface PruneLocalFormatsAction {
  type: 'prune-local-formats';
  build: BuildRef;
  files: LocalImageFile[];
  keepFormats: string[];
  reason: string;
}

/**
 * The empty-ZooKeeper guard: local builds that are missing from a tree with
 * no ready build at all are left alone, loudly (see plan-local-gc.ts).
 */
export interface RefuseLocalGcAction {
  type: 'refuse-local-gc';
  locals: LocalBuild[];
  reason: string;
}

export type CleanupAction =
  | DeleteUploadRecordAction
  | MarkUploadDeletingAction
  | DeleteCloudImageAndRecordAction
  | MarkBuildDeletingAction
  | DeleteBuildRecordAction
  | DeleteLocalBuildAction
  | PruneLocalFormatsAction
  | RefuseLocalGcAction;

export type CleanupActionType = CleanupAction['type'];

/** A short "what" for log lines: `mark-upload-deleting ubuntu/1f2e…/rax/0000000003`. */
export function describeAction(action: CleanupAction): string {
  switch (action.type) {
    case 'delete-upload-record':
    case 'mark-upload-deleting':
    case 'delete-cloud-image-and-record': {
      const u = action.upload;
      return `${action.type} ${u.image}/${u.buildId}/${u.provider}/${u.uploadId}`;
    }
    case 'mark-build-deleting':
    case 'delete-build-record':
    case 'prune-local-formats':
      return `${action.type} ${action.build.image}/${action.build.buildId}`;
    case 'delete-local-build':
      return `${action.type} ${action.local.base}`;
    case 'refuse-local-gc':
      return `${action.type} (${action.locals.length} local builds)`;
  }
}
