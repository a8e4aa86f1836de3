/** What the appliers need, and what each action came to. */
import type { Logger } from 'pino';
import type { ImageStore } from '../../model/image-store.js';
import type { ImageProvider } from '../../providers/types.js';

export interface ApplyDeps {
  store: ImageStore;
  /** image-managing providers this builder knows, by name */
  providers: ReadonlyMap<string, ImageProvider>;
  builderId: string;
  logger: Logger;
  isBuildRunningLocally?: (image: string, buildId: string) => boolean;
}

/**
 * `skipped`: the re-check before acting found the lock busy or the record
 * changed since the snapshot; the next cycle plans again from fresh state.
 * Failures are thrown (and recorded by the caller).
 */
export type ApplyOutcome = { status: 'applied' } | { status: 'skipped'; why: string };

export const APPLIED: ApplyOutcome = { status: 'applied' };

export function skipped(why: string): ApplyOutcome {
  return { status: 'skipped', why };
}

/** The state a record was planned from, compared with what a re-read found. */
export function changedSince(
  current: { state: string | null; stateTime: number | null },
  planned: { state: string; stateTime: number | null },
): string | null {
  if (current.state !== planned.state) return `record is now ${current.state ?? 'unreadable'} (planned from ${planned.state})`;
  if (current.stateTime !== planned.stateTime) return `record changed since the snapshot (state_time ${current.stateTime})`;
  return null;
}

export function busyOr(result: ApplyOutcome | 'busy', why: string): ApplyOutcome {
  return result === 'busy' ? skipped(why) : result;
}
