/**
 * The adapter between the daemon and the cleanup pass
 * (src/builder/cleanup/cleanup-cycle.ts, a pure plan applied with upstream's
 * locks).
 *
 * Runs: every `intervalSeconds` (upstream 60 s; 0 disables, as upstream's
 * cleanup_interval) and soon after something made cleanup due (a build or an
 * upload finished, the config changed). Never two cycles at once; a request
 * during a cycle runs one more after it.
 */
import type { Logger } from 'pino';
import { runCleanupCycle, type CleanupDeps } from './cleanup/cleanup-cycle.js';

export type { CleanupDeps };

export type CleanupCycle = (deps: CleanupDeps) => Promise<unknown>;

/** The cleanup pass (src/builder/cleanup/cleanup-cycle.ts). */
export async function loadCleanupCycle(): Promise<CleanupCycle | null> {
  return runCleanupCycle;
}

export interface CleanupRunnerOptions {
  cycle: CleanupCycle;
  deps: () => CleanupDeps;
  intervalSeconds: number;
  /** delay after due() before a cycle starts (coalesces bursts); default 1 s */
  dueDelayMs?: number;
  logger: Logger;
  onFinished?: (report: unknown) => void;
  onError?: (err: unknown) => void;
}

export class CleanupRunner {
  private interval: NodeJS.Timeout | undefined;
  private dueTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rerun = false;
  private stopped = false;

  constructor(private readonly options: CleanupRunnerOptions) {}

  start(): void {
    if (this.options.intervalSeconds <= 0) return;
    this.interval = setInterval(() => this.runNow(), this.options.intervalSeconds * 1000);
    this.interval.unref?.();
  }

  /** Something changed that cleanup should see soon. */
  due(): void {
    if (this.stopped || this.options.intervalSeconds <= 0 || this.dueTimer) return;
    this.dueTimer = setTimeout(() => {
      this.dueTimer = undefined;
      this.runNow();
    }, this.options.dueDelayMs ?? 1000);
    this.dueTimer.unref?.();
  }

  runNow(): void {
    if (this.stopped) return;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = this.cycle().finally(() => {
      this.running = undefined;
      if (this.rerun && !this.stopped) {
        this.rerun = false;
        this.runNow();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.interval) clearInterval(this.interval);
    if (this.dueTimer) clearTimeout(this.dueTimer);
    await this.running;
  }

  private async cycle(): Promise<void> {
    try {
      const report = await this.options.cycle(this.options.deps());
      this.options.onFinished?.(report);
    } catch (err) {
      this.options.logger.error({ err }, 'cleanup cycle failed');
      this.options.onError?.(err);
    }
  }
}
