/**
 * Exponential backoff with jitter for transient failures: 5xx answers,
 * dropped or refused connections, timeouts. Permanent errors (bad
 * credentials, rejected format, …) fail at once.
 */
import { isKilnError } from '../../errors/kiln-error.js';
import { defaultSleep } from './rate-limiter.js';

export interface RetryPolicy {
  /** total tries, including the first */
  attempts: number;
  /** delay before the 2nd try; doubles each time */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface RetryHooks {
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  signal?: AbortSignal;
}

export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err) || hooks.signal?.aborted) throw err;
      const delayMs = backoffDelay(attempt, policy, hooks.random ?? Math.random);
      hooks.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, hooks.signal);
    }
  }
}

/** Delay after the given failed attempt: base·2^(n-1), capped, with ±25 % jitter so clients spread out. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const plain = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(plain * (0.75 + 0.5 * random()));
}

/** Kiln errors say whether they are permanent; anything else (a bug) is not retried. */
export function isTransient(err: unknown): boolean {
  return isKilnError(err) && !err.permanent;
}
