/**
 * Re-reads nodepool.yaml (and the secure file) when they change: fs.watch on
 * their directories for promptness (editors and ConfigMaps replace files by
 * rename, so the file itself is not watched) plus a periodic fingerprint check,
 * since fs.watch misses changes on some filesystems. A config that fails to
 * load is reported and the previous one kept (upstream would crash the worker
 * loop and retry).
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import { configFingerprint } from '../config/config-fingerprint.js';
import { loadConfig } from '../config/load-config.js';
import type { NodepoolConfig } from '../config/types.js';

export interface ConfigWatcherOptions {
  configPath: string;
  securePath: string | null;
  fingerprint: string;
  /** seconds between fingerprint checks */
  checkSeconds: number;
  env?: NodeJS.ProcessEnv;
  onReload(config: NodepoolConfig, fingerprint: string): void;
  onError(err: unknown): void;
}

export class ConfigWatcher {
  private fingerprint: string;
  private timer: NodeJS.Timeout | undefined;
  private watchers: FSWatcher[] = [];
  private checking: Promise<void> | undefined;
  private pending = false;
  private stopped = false;

  constructor(private readonly options: ConfigWatcherOptions) {
    this.fingerprint = options.fingerprint;
  }

  start(): void {
    this.timer = setInterval(() => this.check(), this.options.checkSeconds * 1000);
    this.timer.unref?.();
    const dirs = new Set([dirname(this.options.configPath), ...(this.options.securePath ? [dirname(this.options.securePath)] : [])]);
    for (const dir of dirs) {
      try {
        const watcher = watch(dir, { persistent: false }, () => this.check());
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch {
        // the periodic check still works
      }
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  check(): void {
    if (this.stopped) return;
    if (this.checking) {
      this.pending = true;
      return;
    }
    this.checking = this.compare().finally(() => {
      this.checking = undefined;
      if (this.pending) {
        this.pending = false;
        this.check();
      }
    });
  }

  private async compare(): Promise<void> {
    try {
      const now = await configFingerprint(this.options.configPath, this.options.securePath);
      if (now === this.fingerprint) return;
      // Remembered before loading: a broken file is reported once, not every check.
      this.fingerprint = now;
      const config = await loadConfig(this.options.configPath, { securePath: this.options.securePath, env: this.options.env });
      if (!this.stopped) this.options.onReload(config, now);
    } catch (err) {
      if (!this.stopped) this.options.onError(err);
    }
  }
}
