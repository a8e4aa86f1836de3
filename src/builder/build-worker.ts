/**
 * One build, start to finish (upstream BuildWorker._buildWrapper and
 * _buildImage, nodepool-compat.md 4.2–4.4):
 *   1. take the image build lock non-blocking (another builder has it: skip)
 *      and re-check under it that the build is still due;
 *   2. prune old logs, store a `building` record (new uuid id);
 *   3. run the dib-cmd (own process group, log file, build-timeout);
 *   4. optionally boot-test the image (Kiln's `boot-test` diskimage option);
 *   5. overwrite the record: `ready` with formats, or `failed` without;
 *   6. on ready remove the manual request that was pending when the build
 *      started and clear the backoff; on failure extend the backoff.
 * A lost lock (session expired) kills the DIB run, records `failed` and
 * deletes the local files (another builder may already be rebuilding); so
 * does a final write that fails (cleanup of another builder removed the
 * record). A daemon stop cancels the run and records `failed`.
 */
import { withLockIfFree } from '../zk/with-lock-if-free.js';
import { appendFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskImage } from '../config/types.js';
import { isKilnError } from '../errors/kiln-error.js';
import type { ImageBuildData } from '../model/image-build.js';
import { nowSeconds } from '../model/record-state.js';
import { bootTest } from '../assembly/boot-test.js';
import { findLocalBuild, deleteLocalBuild } from './local-images.js';
import { clearBackoff, nextBackoff, readBackoff, writeBackoff } from './backoff.js';
import { readBuildFacts } from './build-facts.js';
import { buildLogPath, pruneBuildLogs } from './build-log.js';
import { decideBuild, type BuildReason } from './build-triggers.js';
import { dibCommand } from './dib-command.js';
import { forgetDibGroup, recordDibGroup } from './dib-groups.js';
import { runDib, type DibRunResult } from './run-dib.js';
import type { WorkerContext } from './worker-context.js';

export type BuildOutcome =
  | { kind: 'skipped'; why: 'lock-busy' | 'not-due' }
  | { kind: 'built'; buildId: string; state: 'ready' | 'failed' };

// raw first: under TCG a compressed qcow2 boots ~1.5x slower (toolchain.md §9)
const BOOTABLE = ['raw', 'qcow2', 'vhd', 'vmdk', 'vdi'];

export async function runBuild(ctx: WorkerContext, imageName: string, signal: AbortSignal): Promise<BuildOutcome> {
  const image = ctx.config().diskimages.get(imageName);
  if (!image) return { kind: 'skipped', why: 'not-due' };
  const lock = ctx.store.imageBuildLock(imageName);
  const outcome = await withLockIfFree(
    lock,
    async (): Promise<BuildOutcome> => {
      const facts = await readBuildFacts(ctx.store, image, ctx.labels);
      const decision = decideBuild(facts);
      if (!decision.build || signal.aborted) return { kind: 'skipped', why: 'not-due' };
      return buildLocked(ctx, image, decision.reason, facts.requestTime, lock, signal);
    },
    (err) => ctx.logger.warn({ err, image: imageName }, 'releasing the image build lock failed'),
  );
  return outcome === 'busy' ? { kind: 'skipped', why: 'lock-busy' } : outcome;
}

async function buildLocked(
  ctx: WorkerContext,
  image: DiskImage,
  reason: BuildReason,
  requestTime: number | null,
  lock: { onLost(listener: () => void): () => void },
  signal: AbortSignal,
): Promise<BuildOutcome> {
  const config = ctx.config();
  await pruneBuildLogs(config.buildLogDir, image.name, config.buildLogRetention).catch((err: unknown) =>
    ctx.logger.warn({ err, image: image.name }, 'pruning build logs failed'),
  );
  const record = (state: 'building' | 'ready' | 'failed'): ImageBuildData => ({
    state,
    stateTime: nowSeconds(),
    builder: ctx.hostname,
    builderId: ctx.builderId,
    formats: state === 'failed' ? [] : [...image.formats].sort(),
    username: image.username,
    pythonPath: image.pythonPath,
    shellType: image.shellType,
  });
  const buildId = await ctx.store.storeBuild(image.name, record('building'));
  const log = ctx.logger.child({ image: image.name, buildId });
  const base = join(ctx.imagesDir, `${image.name}-${buildId}`);
  const logPath = buildLogPath(config.buildLogDir, image.name, buildId);
  log.info({ reason, logPath }, 'build started');
  ctx.events.emit('build:started', { image: image.name, buildId, reason });

  let lockLost = false;
  const lost = new AbortController();
  const stopWatchingLock = lock.onLost(() => {
    lockLost = true;
    log.error('lost the image build lock (ZooKeeper session expired); cancelling the build');
    lost.abort();
  });
  let result: DibRunResult;
  // The group is recorded while it runs so that a daemon restarted after a
  // SIGKILL can kill what this one left behind (dib-groups.ts).
  let groupFile = null as string | null;
  try {
    const command = dibCommand({ image, config, base });
    result = await runDib(command, {
      logPath,
      timeoutSeconds: image.buildTimeout,
      signal: AbortSignal.any([signal, lost.signal]),
      onStart: (pid) => {
        log.debug({ pid }, 'dib-cmd running');
        try {
          groupFile = recordDibGroup(ctx.imagesDir, image.name, buildId, { pgid: pid, base: command.env['DIB_IMAGE_FILENAME'] ?? base });
        } catch (err) {
          log.warn({ err }, 'could not record the dib-cmd process group');
        }
      },
    });
  } catch (err) {
    log.error({ err }, 'dib-cmd could not be run');
    result = { exitCode: 1, timedOut: false, aborted: false, durationMs: 0 };
  } finally {
    if (groupFile !== null) await forgetDibGroup(groupFile).catch(() => undefined);
  }
  if (result.timedOut) log.error({ timeoutSeconds: image.buildTimeout }, `Build timeout for image ${image.name}`);

  let ok = result.exitCode === 0 && !result.timedOut && !result.aborted && !lockLost;
  if (ok && image.bootTest) ok = await bootTestGate(ctx, image, buildId, logPath, AbortSignal.any([signal, lost.signal]));
  ok = ok && !lockLost && !signal.aborted;
  stopWatchingLock();

  const state = ok ? 'ready' : 'failed';
  let stored = false;
  try {
    await withRetries(() => ctx.store.storeBuild(image.name, record(state), buildId));
    stored = true;
  } catch (err) {
    log.error({ err }, 'could not store the build result; removing its files');
  }
  const finalState = stored && !lockLost ? state : 'failed';
  if (!stored || lockLost) await removeLocalFiles(ctx.imagesDir, image.name, buildId);

  const sizes = finalState === 'ready' ? await formatSizes(base, image.formats) : {};
  if (finalState === 'ready') {
    // Only a request that existed before this build started is served by it.
    if (requestTime !== null) await ctx.store.removeBuildRequest(image.name).catch((err: unknown) => log.warn({ err }, 'removing request-build failed'));
    await clearBackoff(ctx.store.zk, image.name).catch((err: unknown) => log.warn({ err }, 'clearing the backoff failed'));
  } else if (!signal.aborted) {
    await recordFailure(ctx, image.name, buildId).catch((err: unknown) => log.warn({ err }, 'recording the backoff failed'));
  }
  log.info({ state: finalState, exitCode: result.exitCode, durationMs: result.durationMs, timedOut: result.timedOut }, 'build finished');
  ctx.events.emit('build:finished', {
    image: image.name,
    buildId,
    state: finalState,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    cancelled: signal.aborted,
    lockLost,
    sizes,
  });
  return { kind: 'built', buildId, state: finalState };
}

async function bootTestGate(ctx: WorkerContext, image: DiskImage, buildId: string, logPath: string, signal: AbortSignal): Promise<boolean> {
  const options = image.bootTest;
  if (!options) return true;
  const local = await findLocalBuild(ctx.imagesDir, image.name, buildId);
  const file = BOOTABLE.map((f) => local?.files.find((x) => x.format === f)).find((x) => x !== undefined);
  if (!file) {
    await appendFile(logPath, `Boot test: no bootable format among ${image.formats.join(',')}\n`);
    return false;
  }
  await appendFile(logPath, `Boot test: booting ${file.format} in QEMU (TCG, ${options.firmware}), waiting up to ${options.timeoutSeconds} s for /${options.expect}/ (serial log ${logPath}.boot)\n`);
  const result = await bootTest({
    image: file.path,
    ...(file.format === 'vhd' ? { format: 'vpc' } : {}),
    timeoutSeconds: options.timeoutSeconds,
    expect: new RegExp(options.expect),
    firmware: options.firmware,
    blockSize: options.blockSize,
    logFile: `${logPath}.boot`,
    signal,
  }).catch((err: unknown) => {
    ctx.logger.error({ err, image: image.name, buildId }, 'boot test could not run');
    return null;
  });
  await appendFile(logPath, `Boot test: ${result ? `${result.reason} after ${result.seconds.toFixed(1)} s` : 'could not run'}\n`);
  return result?.ok === true;
}

async function recordFailure(ctx: WorkerContext, image: string, buildId: string): Promise<void> {
  const previous = await readBackoff(ctx.store.zk, image);
  await writeBackoff(ctx.store.zk, image, nextBackoff(previous, nowSeconds(), ctx.backoff, { buildId, builder: ctx.hostname }));
}

async function removeLocalFiles(imagesDir: string, image: string, buildId: string): Promise<void> {
  const local = await findLocalBuild(imagesDir, image, buildId);
  if (local) await deleteLocalBuild(local);
  else await rm(join(imagesDir, `${image}-${buildId}.d`), { recursive: true, force: true });
}

async function formatSizes(base: string, formats: readonly string[]): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const format of formats) {
    const st = await stat(`${base}.${format}`).catch(() => null);
    if (st) sizes[format] = st.blocks * 512;
  }
  return sizes;
}

/** A write right after a reconnect may time out once or twice; the session itself is still ours. */
async function withRetries<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await operation();
    } catch (err) {
      const transient = isKilnError(err, 'KILN_ZK_CONNECTION_LOSS') || isKilnError(err, 'KILN_ZK_OPERATION_TIMEOUT');
      if (!transient || i >= attempts) throw err;
    }
  }
}
