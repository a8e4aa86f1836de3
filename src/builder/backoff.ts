/**
 * Build backoff after failures (a Kiln addition; upstream retries a failing
 * build every 10 s forever). Exponential and capped:
 *   delay = min(base * 2^(failures-1), max)
 * It lives in its own znode, `/nodepool/images/<image>/kiln-backoff`, so that
 * every Kiln builder honours it and `kiln image-status` can show it, while the
 * build records stay exactly upstream's (Python readers never look at that
 * child: they read `pause`, `request-build` and `builds` only). A ready build
 * deletes the node. Data: {"failures": n, "last_failure": t, "until": t,
 * "build_id": "...", "builder": "..."} with epoch-second floats.
 */
import type { Zk } from '../zk/zk-types.js';
import { imagePath } from '../model/paths.js';

export interface BuildBackoff {
  failures: number;
  /** epoch seconds of the last failure */
  lastFailure: number;
  /** epoch seconds until which automatic builds wait */
  until: number;
  buildId: string | null;
  builder: string | null;
}

export interface BackoffPolicy {
  /** seconds after the first failure */
  baseSeconds: number;
  /** cap, seconds */
  maxSeconds: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseSeconds: 60, maxSeconds: 3600 };

export function backoffPath(image: string): string {
  return `${imagePath(image)}/kiln-backoff`;
}

export function backoffDelay(failures: number, policy: BackoffPolicy): number {
  if (failures <= 0) return 0;
  return Math.min(policy.baseSeconds * 2 ** Math.min(failures - 1, 40), policy.maxSeconds);
}

export function nextBackoff(previous: BuildBackoff | null, now: number, policy: BackoffPolicy, failed: { buildId: string | null; builder: string | null }): BuildBackoff {
  const failures = (previous?.failures ?? 0) + 1;
  return { failures, lastFailure: now, until: now + backoffDelay(failures, policy), ...failed };
}

export async function readBackoff(zk: Zk, image: string): Promise<BuildBackoff | null> {
  const node = await zk.get(backoffPath(image));
  return node ? parseBackoff(node.data) : null;
}

export async function writeBackoff(zk: Zk, image: string, backoff: BuildBackoff): Promise<void> {
  const data = JSON.stringify({
    failures: backoff.failures,
    last_failure: backoff.lastFailure,
    until: backoff.until,
    build_id: backoff.buildId,
    builder: backoff.builder,
  });
  try {
    await zk.set(backoffPath(image), data);
  } catch {
    await zk.create(backoffPath(image), data, { makeParents: true }).catch(() => zk.set(backoffPath(image), data));
  }
}

export async function clearBackoff(zk: Zk, image: string): Promise<void> {
  await zk.delete(backoffPath(image));
}

export function parseBackoff(data: Buffer | string): BuildBackoff | null {
  try {
    const d = JSON.parse(data.toString()) as Record<string, unknown>;
    if (typeof d['failures'] !== 'number' || typeof d['until'] !== 'number') return null;
    return {
      failures: d['failures'],
      lastFailure: typeof d['last_failure'] === 'number' ? d['last_failure'] : d['until'],
      until: d['until'],
      buildId: typeof d['build_id'] === 'string' ? d['build_id'] : null,
      builder: typeof d['builder'] === 'string' ? d['builder'] : null,
    };
  } catch {
    return null;
  }
}
