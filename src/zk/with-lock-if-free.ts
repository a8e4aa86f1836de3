/**
 * Nodepool's workers take every lock non-blocking: work whose lock is held is
 * someone else's (or in progress) and is skipped until later.
 */
import { isKilnError } from '../errors/kiln-error.js';
import type { ZkLock } from './lock.js';

/**
 * Runs `fn` holding `lock`, or returns 'busy' when another client holds it.
 * A failing release throws, unless `onReleaseError` takes it (workers log it:
 * the lock is ephemeral and goes with the session anyway).
 */
export async function withLockIfFree<T>(lock: ZkLock, fn: () => Promise<T>, onReleaseError?: (err: unknown) => void): Promise<T | 'busy'> {
  try {
    await lock.acquire({ blocking: false });
  } catch (err) {
    if (isKilnError(err, 'KILN_LOCK_NOT_ACQUIRED')) return 'busy';
    throw err;
  }
  try {
    return await fn();
  } finally {
    // A recursive delete under the lock may have removed our node already: release tolerates that.
    await (onReleaseError ? lock.release().catch(onReleaseError) : lock.release());
  }
}
