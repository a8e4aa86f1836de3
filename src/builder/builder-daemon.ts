/**
 * `startBuilder(options)`: the nodepool-builder daemon (nodepool-compat.md 1.2, 9).
 *
 * Start: load the config (refuse without images-dir, upstream's message),
 * builder_id.txt, ZooKeeper (configured servers or the embedded default),
 * component registration, providers, worker pools, the scheduler, cleanup,
 * config reloads, the metrics endpoint.
 *
 * Stop (graceful; the handle's stop(), called by the signal handlers): stop
 * taking work, cancel running builds (their process groups are killed) and
 * uploads, record them failed, release their locks, unregister, disconnect.
 * Upstream waits for running DIB builds and abandons uploads as `uploading`;
 * Kiln's way leaves ZooKeeper in a state Python's cleanup also understands.
 */
import { registerOpenStackDriver } from '../providers/openstack/register-openstack-driver.js';
import { hostname as osHostname } from 'node:os';
import { resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { configFingerprint } from '../config/config-fingerprint.js';
import { loadConfig } from '../config/load-config.js';
import type { NodepoolConfig } from '../config/types.js';
import { embeddedStateDir, ensureEmbeddedZooKeeper } from '../embedded/embedded-zookeeper.js';
import { registerBuilderComponent, type ComponentRegistration } from '../model/components.js';
import { ImageStore } from '../model/image-store.js';
import { attachMetrics } from '../metrics/attach-metrics.js';
import { BuilderMetrics } from '../metrics/builder-metrics.js';
import { startMetricsServer, type MetricsServer } from '../metrics/metrics-server.js';
import { ZkClient } from '../zk/zk-client.js';
import { BuilderError } from './builder-error.js';
import { BuilderEvents } from './builder-events.js';
import { readOrCreateBuilderId } from './builder-id.js';
import { BUILDER_DEFAULTS, type BuilderOptions } from './builder-options.js';
import { runBuild } from './build-worker.js';
import { CleanupRunner, loadCleanupCycle } from './cleanup-runner.js';
import { ConfigWatcher } from './config-watcher.js';
import { killOrphanedDibGroups } from './dib-groups.js';
import { JobPool } from './job-pool.js';
import { ProviderSet } from './provider-set.js';
import { Scheduler, type PassState } from './scheduler.js';
import { runUpload, type UploadJob } from './upload-worker.js';
import type { WorkerContext } from './worker-context.js';

export interface BuilderHandle {
  readonly builderId: string;
  readonly hostname: string;
  readonly events: BuilderEvents;
  readonly metrics: BuilderMetrics;
  /** `http://127.0.0.1:PORT` when the metrics endpoint runs */
  readonly metricsUrl: string | null;
  readonly zk: ZkClient;
  readonly store: ImageStore;
  config(): NodepoolConfig;
  /** keys of running builds (image names) and uploads (image/build/provider) */
  running(): { builds: string[]; uploads: string[] };
  /** graceful stop; idempotent */
  stop(): Promise<void>;
  /** resolves once stopped */
  readonly stopped: Promise<void>;
}

export async function startBuilder(options: BuilderOptions): Promise<BuilderHandle> {
  const logger = options.logger ?? pino({ name: 'kiln-builder' });
  const env = options.env ?? process.env;
  // Cloud drivers beyond the built-in `local` (the registry is process-wide).
  registerOpenStackDriver({ logger: logger.child({ component: 'openstack' }) });
  const configPath = resolve(options.configPath);
  const securePath = options.securePath ? resolve(options.securePath) : null;
  let config = await loadConfig(configPath, { securePath, env });
  if (!config.imagesDir) throw new BuilderError('KILN_BUILDER_NO_IMAGES_DIR', 'No images-dir specified in config.', { permanent: true });
  const imagesDir = resolve(config.imagesDir);
  const fingerprint = await configFingerprint(configPath, securePath);
  const builderId = await readOrCreateBuilderId(imagesDir);
  const hostname = options.hostname ?? osHostname();
  const labels = options.labels ?? [];

  const servers = config.zookeeperServers.length > 0 ? config.zookeeperServers : [await ensureEmbeddedZooKeeper(embeddedStateDir(imagesDir))];
  const zk = await ZkClient.connect(
    { servers, tls: config.zookeeperTls ?? undefined, timeoutSeconds: config.zookeeperTimeout, connectTimeoutMs: options.zkConnectTimeoutMs ?? 30000 },
    logger.child({ component: 'zookeeper' }),
  );
  const cleanups: Array<() => Promise<void>> = [() => zk.close()];
  try {
    const registration = await registerBuilderComponent(zk, {
      hostname,
      version: await kilnVersion(),
      onRegistered: (path) => logger.info({ path }, 'registered builder component'),
      onError: (err) => logger.warn({ err }, 'component re-registration failed; retrying on the next connect'),
    });
    cleanups.unshift(() => registration.unregister().catch(() => undefined));
    const daemon = new BuilderDaemon({ options, logger, env, config, configPath, securePath, imagesDir, fingerprint, builderId, hostname, labels, zk, registration });
    await daemon.start();
    return daemon.handle();
  } catch (err) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw err;
  }
}

interface DaemonSetup {
  options: BuilderOptions;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  config: NodepoolConfig;
  configPath: string;
  securePath: string | null;
  imagesDir: string;
  fingerprint: string;
  builderId: string;
  hostname: string;
  labels: string[];
  zk: ZkClient;
  registration: ComponentRegistration;
}

class BuilderDaemon {
  private config: NodepoolConfig;
  private readonly events = new BuilderEvents();
  private readonly metrics: BuilderMetrics;
  private readonly store: ImageStore;
  private readonly providers: ProviderSet;
  private readonly builds: JobPool;
  private readonly uploads: JobPool;
  private readonly scheduler: Scheduler;
  private readonly configWatcher: ConfigWatcher;
  private server: MetricsServer | null = null;
  private stopping: Promise<void> | undefined;
  private resolveStopped!: () => void;
  private readonly stopped = new Promise<void>((r) => (this.resolveStopped = r));
  private cleanupReady: Promise<void> = Promise.resolve();
  private cleanupRunner: CleanupRunner | null = null;
  /** image → id of the build this builder is running (for cleanup) */
  private readonly localBuilds = new Map<string, string>();

  constructor(private readonly s: DaemonSetup) {
    const { options, logger } = s;
    this.config = s.config;
    this.store = new ImageStore(s.zk);
    this.metrics = new BuilderMetrics(s.hostname);
    attachMetrics(this.events, this.metrics);
    this.providers = new ProviderSet(logger, s.env);
    const buildWorkers = options.buildWorkers ?? BUILDER_DEFAULTS.buildWorkers;
    const uploadWorkers = options.uploadWorkers ?? BUILDER_DEFAULTS.uploadWorkers;
    this.metrics.buildWorkers.set(buildWorkers);
    this.metrics.uploadWorkers.set(uploadWorkers);
    const onJobError = (key: string, err: unknown): void => logger.error({ err, job: key }, 'worker job failed');
    this.builds = new JobPool(buildWorkers, () => this.scheduler.request('build slot free'), onJobError);
    this.uploads = new JobPool(uploadWorkers, () => this.scheduler.request('upload slot free'), onJobError);
    const ctx = this.workerContext();
    this.scheduler = new Scheduler({
      zk: s.zk,
      store: this.store,
      config: () => this.config,
      imagesDir: s.imagesDir,
      labels: s.labels,
      logger: logger.child({ component: 'scheduler' }),
      builds: this.builds,
      uploads: this.uploads,
      provider: (name) => this.providers.get(name),
      rescanSeconds: options.rescanSeconds ?? BUILDER_DEFAULTS.rescanSeconds,
      uploadRetry: options.uploadRetry ?? BUILDER_DEFAULTS.uploadRetry,
      startBuild: (image) => async (signal) => {
        const outcome = await runBuild(ctx, image, signal);
        if (outcome.kind === 'skipped' && outcome.why === 'lock-busy') this.scheduler.buildLockBusy(image);
      },
      startUpload: (job) => async (signal) => this.upload(ctx, job, signal),
      onPass: (state) => this.updateGauges(state),
    });
    this.configWatcher = new ConfigWatcher({
      configPath: s.configPath,
      securePath: s.securePath,
      fingerprint: s.fingerprint,
      checkSeconds: options.configCheckSeconds ?? BUILDER_DEFAULTS.configCheckSeconds,
      env: s.env,
      onReload: (config, fingerprint) => void this.reload(config, fingerprint),
      onError: (error) => {
        logger.error({ err: error }, 'config reload failed; keeping the previous config');
        this.events.emit('config:error', { error });
      },
    });
    this.events.on('build:started', (e) => this.localBuilds.set(e.image, e.buildId));
    this.events.on('build:finished', (e) => {
      this.localBuilds.delete(e.image);
      this.metrics.currentBuilds.set(this.builds.runningCount - 1);
      this.cleanupRunner?.due();
    });
    this.events.on('build:started', () => this.metrics.currentBuilds.set(this.builds.runningCount));
    this.events.on('upload:started', () => this.metrics.currentUploads.set(this.uploads.runningCount));
    this.events.on('upload:finished', () => {
      this.metrics.currentUploads.set(this.uploads.runningCount - 1);
      this.cleanupRunner?.due();
    });
  }

  async start(): Promise<void> {
    const { options, logger } = this.s;
    await this.providers.update(this.config);
    if (options.metricsPort !== undefined && options.metricsPort !== null) {
      this.server = await startMetricsServer({
        port: options.metricsPort,
        host: options.metricsHost,
        metrics: this.metrics,
        zk: this.s.zk,
        health: () => ({ builderId: this.s.builderId, hostname: this.s.hostname, ...this.runningJobs() }),
      });
      logger.info({ url: this.server.url }, 'metrics endpoint listening');
    }
    // Before any build of ours: a previous daemon killed with SIGKILL may have
    // left its DIB runs going; they would write files for dead records.
    for (const group of await killOrphanedDibGroups(this.s.imagesDir).catch((err: unknown) => {
      logger.error({ err }, 'looking for orphaned dib-cmd process groups failed');
      return [];
    })) {
      logger.warn(group, 'killed the orphaned dib-cmd process group of a previous builder run');
    }
    this.cleanupReady = this.startCleanup();
    await this.cleanupReady;
    this.configWatcher.start();
    this.scheduler.start();
    logger.info(
      { builderId: this.s.builderId, hostname: this.s.hostname, labels: this.s.labels, imagesDir: this.s.imagesDir, zookeeper: this.s.zk.connectString },
      'builder started',
    );
  }

  handle(): BuilderHandle {
    const self = this;
    return {
      builderId: this.s.builderId,
      hostname: this.s.hostname,
      events: this.events,
      metrics: this.metrics,
      metricsUrl: this.server?.url ?? null,
      zk: this.s.zk,
      store: this.store,
      config: () => self.config,
      running: () => this.runningJobs(),
      stop: () => this.stop(),
      stopped: this.stopped,
    };
  }

  private runningJobs(): { builds: string[]; uploads: string[] } {
    return { builds: this.builds.runningKeys(), uploads: this.uploads.runningKeys() };
  }

  private workerContext(): WorkerContext {
    return {
      store: this.store,
      config: () => this.config,
      builderId: this.s.builderId,
      hostname: this.s.hostname,
      imagesDir: this.s.imagesDir,
      labels: this.s.labels,
      logger: this.s.logger,
      events: this.events,
      backoff: this.s.options.backoff ?? BUILDER_DEFAULTS.backoff,
      provider: (name) => this.providers.get(name),
    };
  }

  private async upload(ctx: WorkerContext, job: UploadJob, signal: AbortSignal): Promise<void> {
    try {
      const outcome = await runUpload(ctx, job, signal);
      if (outcome.kind === 'uploaded') this.scheduler.uploadFinished(job, outcome.state === 'ready');
      else if (outcome.why === 'lock-busy') this.scheduler.uploadFinished(job, false);
    } catch (err) {
      this.scheduler.uploadFinished(job, false);
      throw err;
    }
  }

  private async startCleanup(): Promise<void> {
    const { options, logger } = this.s;
    const interval = options.cleanupIntervalSeconds ?? BUILDER_DEFAULTS.cleanupIntervalSeconds;
    const cycle = options.cleanupCycle === undefined ? await loadCleanupCycle() : options.cleanupCycle;
    if (cycle === null || interval <= 0) {
      if (cycle === null && interval > 0) logger.warn('the cleanup pass is not available; cleanup is off');
      return;
    }
    this.cleanupRunner = new CleanupRunner({
      cycle,
      intervalSeconds: interval,
      dueDelayMs: options.cleanupDueDelayMs,
      logger: logger.child({ component: 'cleanup' }),
      deps: () => ({
        store: this.store,
        zk: this.s.zk,
        config: this.config,
        builderId: this.s.builderId,
        imagesDir: this.s.imagesDir,
        providers: this.providers.all(),
        logger: logger.child({ component: 'cleanup' }),
        isBuildRunningLocally: (image, buildId) => this.localBuilds.get(image) === buildId,
      }),
      onFinished: (report) => {
        this.events.emit('cleanup:finished', { report });
        this.scheduler.request('cleanup finished');
      },
      onError: (error) => this.events.emit('cleanup:error', { error }),
    });
    this.cleanupRunner.start();
    this.cleanupRunner.due();
  }

  private async reload(config: NodepoolConfig, fingerprint: string): Promise<void> {
    const { logger } = this.s;
    if (JSON.stringify(config.zookeeperServers) !== JSON.stringify(this.config.zookeeperServers)) {
      logger.warn('zookeeper-servers changed; restart the builder to use them');
    }
    if (config.imagesDir && resolve(config.imagesDir) !== this.s.imagesDir) logger.warn('images-dir changed; restart the builder to use it');
    this.config = config;
    await this.providers.update(config).catch((err: unknown) => logger.error({ err }, 'reconfiguring providers failed'));
    logger.info({ fingerprint }, 'config reloaded');
    this.events.emit('config:reloaded', { fingerprint });
    this.scheduler.request('config reloaded');
    this.cleanupRunner?.due();
  }

  private updateGauges(state: PassState): void {
    const m = this.metrics;
    let requests = 0;
    for (const [image, requested] of state.requests) {
      m.imageBuildRequests.set({ image }, requested ? 1 : 0);
      if (requested) requests++;
    }
    m.buildRequests.set(requests);
    for (const [image, paused] of state.paused) m.buildState.set({ image }, this.builds.isRunning(image) ? 1 : paused ? 3 : 0);
    const running = new Set(this.uploads.runningKeys());
    for (const provider of this.config.providers.values()) {
      for (const entry of provider.diskimages) {
        const paused = state.pausedUploads.some((p) => p.image === entry.name && p.provider === provider.name);
        const uploading = [...running].some((key) => key.startsWith(`${entry.name}/`) && key.endsWith(`/${provider.name}`));
        m.uploadState.set({ image: entry.name, provider: provider.name }, uploading ? 2 : paused ? 3 : 0);
      }
    }
    m.currentBuilds.set(this.builds.runningCount);
    m.currentUploads.set(this.uploads.runningCount);
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const { logger } = this.s;
    logger.info(this.runningJobs(), 'builder stopping');
    this.events.emit('stopping');
    this.scheduler.stop();
    this.configWatcher.stop();
    await this.cleanupReady.catch(() => undefined);
    await Promise.all([this.cleanupRunner?.stop(), this.builds.stop(), this.uploads.stop()]);
    await this.server?.close();
    await this.s.registration.unregister().catch((err: unknown) => logger.warn({ err }, 'unregistering the component failed'));
    await this.providers.close();
    await this.s.zk.close();
    logger.info('builder stopped');
    this.events.emit('stopped');
    this.resolveStopped();
  }
}

async function kilnVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  try {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return `kiln-${pkg.version ?? 'unknown'}`;
  } catch {
    return 'kiln';
  }
}
