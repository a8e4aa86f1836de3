/**
 * Nodepool's per-provider `rate`: at least `rate` seconds between the starts
 * of two API calls to the same cloud. Calls queue in arrival order; a slow
 * call does not hold the next one back (only starts are spaced), and each
 * provider has its own limiter, so one cloud's trouble never delays another.
 */
export interface RateLimiter {
  /** Resolves when the caller may start its call. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export interface RateLimiterOptions {
  /** seconds between call starts; 0 = unlimited */
  rate: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function createRateLimiter({ rate, now = Date.now, sleep = defaultSleep }: RateLimiterOptions): RateLimiter {
  const intervalMs = Math.max(0, rate * 1000);
  // the time the next call may start; reserving slots synchronously keeps FIFO order without a queue
  let nextSlot = 0;
  return {
    async acquire(signal?: AbortSignal): Promise<void> {
      if (intervalMs === 0) return;
      const current = now();
      const slot = Math.max(current, nextSlot);
      nextSlot = slot + intervalMs;
      if (slot > current) await sleep(slot - current, signal);
    },
  };
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
