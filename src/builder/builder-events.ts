/**
 * Everything the daemon does, as typed events (graphile-worker style): logs
 * and metrics subscribe here instead of being sprinkled through the logic,
 * and tests wait on them.
 */
import { EventEmitter } from 'node:events';
import type { BuildReason } from './build-triggers.js';

export interface BuildStartedEvent {
  image: string;
  buildId: string;
  reason: BuildReason;
}

export interface BuildFinishedEvent {
  image: string;
  buildId: string;
  state: 'ready' | 'failed';
  exitCode: number;
  durationMs: number;
  timedOut: boolean;
  cancelled: boolean;
  lockLost: boolean;
  /** bytes on disk (st_blocks * 512) per format, ready builds only */
  sizes: Record<string, number>;
}

export interface UploadStartedEvent {
  image: string;
  buildId: string;
  provider: string;
  uploadId: string;
}

export interface UploadFinishedEvent extends UploadStartedEvent {
  state: 'ready' | 'failed';
  externalId: string | null;
  durationMs: number;
  error?: string;
}

export interface BuilderEventMap {
  'build:started': [BuildStartedEvent];
  'build:finished': [BuildFinishedEvent];
  'upload:started': [UploadStartedEvent];
  'upload:finished': [UploadFinishedEvent];
  /** one scheduling pass ran (reason: what woke it) */
  'scan': [{ reason: string }];
  'config:reloaded': [{ fingerprint: string }];
  'config:error': [{ error: unknown }];
  'cleanup:finished': [{ report: unknown }];
  'cleanup:error': [{ error: unknown }];
  'stopping': [];
  'stopped': [];
}

export class BuilderEvents extends EventEmitter<BuilderEventMap> {
  constructor() {
    super();
    this.setMaxListeners(0);
  }
}
