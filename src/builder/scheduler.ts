/**
 * The builder's one scheduler (upstream has none: every worker thread polls
 * ZooKeeper every 10 s). A pass reads what it needs, arms watches, offers due
 * builds and uploads to the worker pools, and sets one timer for the earliest
 * moment time alone changes an answer (a build turning rebuild-age stale, a
 * backoff ending, an upload retry) or the safety re-scan, whichever is first.
 *
 * Passes are triggered by: watches (/nodepool/images children; each image's
 * request-build, pause and builds; the newest ready build's data), a new
 * ZooKeeper session (watches re-armed), a worker slot freeing, a finished
 * build or upload, a config reload, the timer. Requests during a pass
 * coalesce into one more pass.
 */
import type { Logger } from 'pino';
import type { NodepoolConfig } from '../config/types.js';
import type { Zk } from '../zk/zk-types.js';
import { IMAGE_ROOT, imageBuildLockPath, imageBuildPath, imageBuildRequestPath, imageBuildsPath, imagePausePath } from '../model/paths.js';
import { nowSeconds } from '../model/record-state.js';
import type { ImageStore } from '../model/image-store.js';
import { scanLocalBuilds, type LocalBuild } from './local-images.js';
import { readBuildFacts } from './build-facts.js';
import { decideBuild } from './build-triggers.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { JobPool } from './job-pool.js';
import { WatchSet } from './watch-set.js';
import type { ImageProvider } from '../providers/types.js';
import type { UploadJob } from './upload-worker.js';

export interface SchedulerDeps {
  zk: Zk;
  store: ImageStore;
  config(): NodepoolConfig;
  imagesDir: string;
  labels: readonly string[];
  logger: Logger;
  builds: JobPool;
  uploads: JobPool;
  provider(name: string): ImageProvider | null;
  startBuild(image: string): (signal: AbortSignal) => Promise<void>;
  startUpload(job: UploadJob): (signal: AbortSignal) => Promise<void>;
  /** seconds between safety re-scans */
  rescanSeconds: number;
  /** retry policy of failed uploads (upstream: every 10 s, forever) */
  uploadRetry: BackoffPolicy;
  onPass?(state: PassState): void;
}

/** What one pass saw, for gauges. */
export interface PassState {
  paused: Map<string, boolean>;
  requests: Map<string, boolean>;
  pausedUploads: Array<{ image: string; provider: string }>;
}

const ZK_RETRY_MS = 1000;

export class Scheduler {
  private readonly watches: WatchSet;
  private timer: NodeJS.Timeout | undefined;
  private scanning = false;
  private again: string | null = null;
  private stopped = false;
  private readonly uploadFailures = new Map<string, { failures: number; until: number }>();
  /** images whose build lock another builder held when we tried: skipped until that lock changes */
  private readonly lockBusy = new Map<string, number>();
  private readonly onSession = (): void => {
    this.watches.reset();
    this.request('zookeeper session');
  };
  private readonly onConnected = (): void => this.request('zookeeper connected');

  constructor(private readonly deps: SchedulerDeps) {
    this.watches = new WatchSet(deps.zk, (event) => {
      for (const image of this.lockBusy.keys()) if (event.path.endsWith(imageBuildLockPath(image))) this.lockBusy.delete(image);
      this.request(`watch ${event.type} ${event.path}`);
    });
  }

  start(): void {
    this.deps.zk.on('session', this.onSession);
    this.deps.zk.on('connected', this.onConnected);
    this.request('start');
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.watches.close();
    this.deps.zk.off('session', this.onSession);
    this.deps.zk.off('connected', this.onConnected);
  }

  /** Asks for a pass soon; calls during a pass coalesce into one more. */
  request(reason: string): void {
    if (this.stopped) return;
    if (this.scanning) {
      this.again ??= reason;
      return;
    }
    this.scanning = true;
    setImmediate(() => void this.pass(reason));
  }

  /**
   * Another builder holds the image's build lock: do not offer the build again
   * until the lock's contenders change (or the safety re-scan), else a free
   * slot would retry it in a tight loop.
   */
  buildLockBusy(image: string): void {
    this.lockBusy.set(image, nowSeconds() + this.deps.rescanSeconds);
    this.watches.children(imageBuildLockPath(image)).catch(() => undefined);
  }

  /** Failed uploads wait (exponential, capped) before the next attempt, so a dead cloud is not hammered. */
  uploadFinished(job: UploadJob, ok: boolean): void {
    const key = uploadKey(job);
    if (ok) {
      this.uploadFailures.delete(key);
      return;
    }
    const failures = (this.uploadFailures.get(key)?.failures ?? 0) + 1;
    this.uploadFailures.set(key, { failures, until: nowSeconds() + backoffDelay(failures, this.deps.uploadRetry) });
  }

  private async pass(reason: string): Promise<void> {
    let nextAt: number | null = null;
    try {
      this.deps.logger.debug({ reason }, 'scheduling pass');
      nextAt = await this.scan();
    } catch (err) {
      this.deps.logger.warn({ err, reason }, 'scheduling pass failed; retrying');
      nextAt = nowSeconds() + ZK_RETRY_MS / 1000;
    } finally {
      this.scanning = false;
    }
    if (this.stopped) return;
    this.arm(nextAt);
    if (this.again !== null) {
      const next = this.again;
      this.again = null;
      this.request(next);
    }
  }

  private arm(at: number | null): void {
    if (this.timer) clearTimeout(this.timer);
    const safety = nowSeconds() + this.deps.rescanSeconds;
    const when = Math.min(at ?? safety, safety);
    const delayMs = Math.min(Math.max(0, (when - nowSeconds()) * 1000) + 5, 2 ** 31 - 1);
    this.timer = setTimeout(() => this.request('timer'), delayMs);
    this.timer.unref?.();
  }

  /** One pass; returns the epoch second of the next time-driven change, or null. */
  private async scan(): Promise<number | null> {
    const { store, labels } = this.deps;
    const config = this.deps.config();
    await this.watches.children(IMAGE_ROOT);
    const state: PassState = { paused: new Map(), requests: new Map(), pausedUploads: [] };
    const times: number[] = [];

    for (const image of config.diskimages.values()) {
      await Promise.all([
        this.watches.exists(imageBuildRequestPath(image.name)),
        this.watches.exists(imagePausePath(image.name)),
        this.watches.children(imageBuildsPath(image.name)),
      ]);
      const facts = await readBuildFacts(store, image, labels);
      state.paused.set(image.name, image.pause || facts.zkPaused);
      state.requests.set(image.name, facts.requestTime !== null);
      // A dib-image-delete of the current build flips its data: rebuild at once.
      if (facts.newestReady) await this.watches.exists(imageBuildPath(image.name, facts.newestReady.id));
      const decision = decideBuild(facts);
      const busyUntil = this.lockBusy.get(image.name);
      if (busyUntil !== undefined && busyUntil <= nowSeconds()) this.lockBusy.delete(image.name);
      if (decision.build && this.lockBusy.has(image.name)) {
        times.push(busyUntil as number);
      } else if (decision.build) {
        if (!this.deps.builds.has(image.name) && this.deps.builds.hasFreeSlot) {
          this.deps.logger.debug({ image: image.name, reason: decision.reason }, 'build due');
          this.deps.builds.offer(image.name, this.deps.startBuild(image.name));
        }
      } else if (decision.recheckAt !== null) {
        times.push(decision.recheckAt);
      }
    }

    const local = await scanLocalBuilds(this.deps.imagesDir);
    times.push(...(await this.offerUploads(config, local, state)));
    this.deps.onPass?.(state);
    return times.length > 0 ? Math.min(...times) : null;
  }

  /** Upload rules of nodepool-compat.md 5; returns retry times of uploads waiting out a failure. */
  private async offerUploads(config: NodepoolConfig, local: LocalBuild[], state: PassState): Promise<number[]> {
    const { store } = this.deps;
    const times: number[] = [];
    const newest = new Map<string, Promise<string | null>>();
    const newestReady = (image: string): Promise<string | null> => {
      if (!newest.has(image)) newest.set(image, store.getMostRecentBuilds(1, image, 'ready').then((b) => b[0]?.id ?? null));
      return newest.get(image) as Promise<string | null>;
    };
    for (const provider of config.providers.values()) {
      if (!provider.managesImages || !provider.imageType || !this.deps.provider(provider.name)) continue;
      for (const entry of provider.diskimages) {
        const image = config.diskimages.get(entry.name);
        if (!image) continue;
        if (entry.pause) {
          state.pausedUploads.push({ image: image.name, provider: provider.name });
          continue;
        }
        const buildId = await newestReady(image.name);
        if (buildId === null) continue;
        // Only the builder holding the files uploads them.
        const files = local.find((b) => b.image === image.name && b.buildId === buildId);
        if (!files?.files.some((f) => f.format === provider.imageType)) continue;
        const job: UploadJob = { image: image.name, buildId, provider: provider.name };
        const key = uploadKey(job);
        if (this.deps.uploads.has(key)) continue;
        const waiting = this.uploadFailures.get(key);
        if (waiting && waiting.until > nowSeconds()) {
          times.push(waiting.until);
          continue;
        }
        const ready = await store.getUploads(image.name, buildId, provider.name, ['ready']);
        if (ready.length > 0) continue;
        this.deps.uploads.offer(key, this.deps.startUpload(job));
      }
    }
    return times;
  }
}

export function uploadKey(job: UploadJob): string {
  return `${job.image}/${job.buildId}/${job.provider}`;
}
