/** Options of startBuilder() (the `kiln builder` flags, plus knobs tests turn). */
import type { Logger } from 'pino';
import type { BackoffPolicy } from './backoff.js';
import type { CleanupCycle } from './cleanup-runner.js';

export interface BuilderOptions {
  /** nodepool.yaml (`-c`) */
  configPath: string;
  /** the secure file (`-s`) */
  securePath?: string | null;
  /** `--build-workers` (1) */
  buildWorkers?: number;
  /** `--upload-workers` (4) */
  uploadWorkers?: number;
  /** `--label`: builder affinity against diskimage `builder-labels` */
  labels?: string[];
  /** `--metrics-port`: undefined/null = no HTTP endpoint; 0 = any free port */
  metricsPort?: number | null;
  /** default 127.0.0.1 */
  metricsHost?: string;
  /** `--cleanup-interval` seconds (60; 0 disables cleanup, as upstream's cleanup_interval) */
  cleanupIntervalSeconds?: number;
  /** safety re-scan, seconds (60) */
  rescanSeconds?: number;
  /** config fingerprint check, seconds (10) */
  configCheckSeconds?: number;
  /** build backoff after failures (60 s doubling, capped at 1 h) */
  backoff?: BackoffPolicy;
  /** wait before retrying a failed upload (10 s doubling, capped at 10 min) */
  uploadRetry?: BackoffPolicy;
  /** `builder` in build records and the component node (default os.hostname()) */
  hostname?: string;
  /** default: pino JSON to stdout */
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** the cleanup pass; default: src/builder/cleanup/cleanup-cycle.ts when present. null disables. */
  cleanupCycle?: CleanupCycle | null;
  /** delay after a cleanup became due (1000 ms) */
  cleanupDueDelayMs?: number;
  zkConnectTimeoutMs?: number;
}

export const BUILDER_DEFAULTS = {
  buildWorkers: 1,
  uploadWorkers: 4,
  cleanupIntervalSeconds: 60,
  rescanSeconds: 60,
  configCheckSeconds: 10,
  backoff: { baseSeconds: 60, maxSeconds: 3600 },
  uploadRetry: { baseSeconds: 10, maxSeconds: 600 },
} as const;
