/**
 * When an image is built (nodepool-compat.md 4.1), as a pure function of what
 * the scheduler read. Upstream's rules, in order:
 *   skip while paused (config `pause` or the ZooKeeper pause node) or with no formats;
 *   build on a manual request (`request-build`);
 *   build when there is no ready build, when the newest ready build is older
 *   than `rebuild-age`, or when it lacks one of the current formats.
 * Kiln's additions: builder affinity (`builder-labels` vs `--label`), and a
 * backoff after failures (upstream rebuilds a failing image every 10 s
 * forever). A manual request made after the last failure bypasses the
 * backoff: the operator asked for it.
 */
import type { DiskImage } from '../config/types.js';
import type { BuildBackoff } from './backoff.js';

export type BuildReason = 'manual' | 'no-ready-build' | 'rebuild-age' | 'missing-formats';
export type SkipReason = 'paused' | 'no-formats' | 'other-builder-labels' | 'backoff' | 'up-to-date';

export interface BuildFacts {
  image: DiskImage;
  /** this builder's `--label`s */
  labels: readonly string[];
  zkPaused: boolean;
  /** ctime of request-build in epoch seconds, or null */
  requestTime: number | null;
  /** the newest ready build (by state_time), or null */
  newestReady: { id: string; stateTime: number | null; formats: readonly string[] } | null;
  backoff: BuildBackoff | null;
  /** epoch seconds */
  now: number;
}

export type BuildDecision =
  | { build: true; reason: BuildReason }
  /** `recheckAt`: epoch seconds when the answer may change by time alone (rebuild-age, backoff end) */
  | { build: false; reason: SkipReason; recheckAt: number | null };

export function decideBuild(facts: BuildFacts): BuildDecision {
  const { image, newestReady, now } = facts;
  if (image.pause || facts.zkPaused) return skip('paused');
  if (image.formats.length === 0) return skip('no-formats');
  if (!builderMatches(image.builderLabels, facts.labels)) return skip('other-builder-labels');

  const backoffUntil = facts.backoff && facts.backoff.until > now ? facts.backoff.until : null;
  if (facts.requestTime !== null) {
    const requestedAfterFailure = facts.backoff === null || facts.requestTime > facts.backoff.lastFailure;
    if (backoffUntil === null || requestedAfterFailure) return { build: true, reason: 'manual' };
  }

  let reason: BuildReason | null = null;
  let staleAt: number | null = null;
  if (newestReady === null) reason = 'no-ready-build';
  else {
    staleAt = (newestReady.stateTime ?? 0) + image.rebuildAge;
    if (now >= staleAt) reason = 'rebuild-age';
    else if (!image.formats.every((f) => newestReady.formats.includes(f))) reason = 'missing-formats';
  }
  if (reason === null) return skip('up-to-date', staleAt);
  if (backoffUntil !== null) return skip('backoff', backoffUntil);
  return { build: true, reason };
}

/** An image without labels builds anywhere; otherwise the builder needs one of them. */
export function builderMatches(imageLabels: readonly string[], builderLabels: readonly string[]): boolean {
  return imageLabels.length === 0 || imageLabels.some((label) => builderLabels.includes(label));
}

function skip(reason: SkipReason, recheckAt: number | null = null): BuildDecision {
  return { build: false, reason, recheckAt };
}
