/**
 * upstream CleanupWorker._cleanupImage for one image, as actions
 * (nodepool-compat.md §6.3). Per build, in listing order:
 *
 * 1. for every known image-managing provider that no longer lists the image:
 *    delete the build's uploads there (whatever the build's state);
 * 2. kept builds: drop dead `uploading` records (ZK only) and finish
 *    `deleting`/`failed` uploads; nothing else;
 * 3. other builds, unless still being built: delete the uploads that are not
 *    among the 2 newest ready per provider; then, if every upload left (to any
 *    provider, known or not) will be `deleting`, mark the build `deleting`; if
 *    none will be left, delete its record.
 */
import type { BuildSnapshot, ImageSnapshot, ImageUpload } from '../../model/types.js';
import { sortedContenders } from '../../zk/lock-names.js';
import type { CleanupAction } from './cleanup-actions.js';
import { buildKey, type CleanupInput, type CleanupProvider } from './cleanup-input.js';
import { planUploadDeletion, uploadInProgress } from './plan-upload-deletion.js';
import { buildsToKeep, recentUploads, uploadKey } from './retention.js';

export function planImage(image: ImageSnapshot, input: CleanupInput, knownProviders: CleanupProvider[]): CleanupAction[] {
  const keep = buildsToKeep(image, input.config);
  const recent = recentUploads(image);
  const buildLockBusy = sortedContenders(image.buildLockHolders).length > 0;
  return image.builds.flatMap((snapshot) => {
    const plan = new BuildPlan(image.name, snapshot, input);
    const kept = keep.has(snapshot.build.id);
    if (snapshot.build.state === null) return []; // a state this version does not know: not ours to judge
    planObsoleteProviders(plan, knownProviders);
    if (kept) {
      planKeptBuild(plan, knownProviders);
      return plan.actions;
    }
    if (buildInProgress(snapshot, buildLockBusy, input)) return plan.actions;
    const why = input.config.diskimages.has(image.name)
      ? describeOldBuild(snapshot.build.state)
      : `unwanted (diskimage ${image.name} is not in this builder's config)`;
    planOldBuild(plan, knownProviders, recent, why);
    return plan.actions;
  });
}

/** The actions of one build, remembering which uploads are already planned away. */
class BuildPlan {
  readonly actions: CleanupAction[] = [];
  /** uploads the plan removes (record gone once applied) */
  private readonly removed = new Set<ImageUpload>();
  /** uploads the plan marks `deleting` or finishes */
  private readonly handled = new Set<ImageUpload>();

  constructor(
    readonly image: string,
    readonly snapshot: BuildSnapshot,
    private readonly input: CleanupInput,
  ) {}

  get id(): string {
    return this.snapshot.build.id;
  }

  uploadsTo(provider: string): ImageUpload[] {
    return this.snapshot.uploads.get(provider) ?? [];
  }

  allUploads(): ImageUpload[] {
    return [...this.snapshot.uploads.values()].flat();
  }

  deleteUpload(upload: ImageUpload, reason: string): void {
    if (this.handled.has(upload)) return;
    const actions = planUploadDeletion(upload, reason, this.input.locks);
    if (actions.length === 0) return;
    this.handled.add(upload);
    this.removed.add(upload);
    this.actions.push(...actions);
  }

  dropDeadUploadRecord(upload: ImageUpload, reason: string): void {
    if (this.handled.has(upload) || upload.state !== 'uploading' || uploadInProgress(upload, this.input.locks)) return;
    this.handled.add(upload);
    this.removed.add(upload);
    const ref = { image: upload.image, buildId: upload.buildId, provider: upload.provider, uploadId: upload.id };
    this.actions.push({ type: 'delete-upload-record', upload: ref, planned: { state: 'uploading', stateTime: upload.stateTime }, reason });
  }

  /** After the planned upload actions: does any upload stay, and is every one that stays `deleting`? */
  remainingUploads(): { any: boolean; allDeleting: boolean } {
    const left = this.allUploads().filter((u) => !this.removed.has(u));
    return { any: left.length > 0, allDeleting: left.every((u) => u.state === 'deleting') };
  }

  get buildLockBusy(): boolean {
    return this.input.locks.busyBuildLocks.has(buildKey(this.image, this.id));
  }
}

function planObsoleteProviders(plan: BuildPlan, knownProviders: CleanupProvider[]): void {
  for (const provider of knownProviders) {
    if (provider.diskimages.some((d) => d.name === plan.image)) continue;
    for (const upload of plan.uploadsTo(provider.name)) {
      plan.deleteUpload(upload, `image ${plan.image} is no longer configured for provider ${provider.name}`);
    }
  }
}

/** upstream _cleanupCurrentProviderUploads */
function planKeptBuild(plan: BuildPlan, knownProviders: CleanupProvider[]): void {
  for (const provider of knownProviders) {
    for (const upload of plan.uploadsTo(provider.name)) {
      if (upload.state === 'uploading') {
        plan.dropDeadUploadRecord(upload, 'upload attempt died: record uploading, upload lock free');
      } else if (upload.state === 'deleting' || upload.state === 'failed') {
        plan.deleteUpload(upload, `upload is ${upload.state}`);
      }
    }
  }
}

function planOldBuild(plan: BuildPlan, knownProviders: CleanupProvider[], recent: Set<string>, why: string): void {
  const build = plan.snapshot.build;
  for (const provider of knownProviders) {
    for (const upload of plan.uploadsTo(provider.name)) {
      if (recent.has(uploadKey(plan.id, provider.name, upload.id))) continue;
      plan.deleteUpload(upload, `build is ${why}; upload is not among the 2 newest ready uploads to ${provider.name}`);
    }
  }
  const left = plan.remainingUploads();
  if (!left.allDeleting || plan.buildLockBusy) return;
  const ref = { image: plan.image, buildId: plan.id };
  if (build.state !== 'deleting' && build.state !== null) {
    const planned = { state: build.state, stateTime: build.stateTime };
    const uploads = left.any ? 'all its uploads are deleting' : 'it has no uploads';
    plan.actions.push({ type: 'mark-build-deleting', build: ref, planned, reason: `build is ${why} and ${uploads}` });
  }
  if (!left.any) plan.actions.push({ type: 'delete-build-record', build: ref, reason: 'build is deleting and has no uploads left' });
}

/**
 * upstream _inProgressBuild: a `building` record is alive while the image's
 * build lock is held (or, Kiln, while this daemon runs that build). A free
 * lock means the builder that wrote it died.
 */
function buildInProgress(snapshot: BuildSnapshot, buildLockBusy: boolean, input: CleanupInput): boolean {
  const build = snapshot.build;
  return build.state === 'building' && (buildLockBusy || input.runningLocally.has(buildKey(build.image, build.id)));
}

function describeOldBuild(state: string | null): string {
  switch (state) {
    case 'building':
      return 'a dead build (building, build lock free)';
    case 'ready':
      return 'ready but not among the 2 newest ready builds';
    default:
      return String(state);
  }
}
