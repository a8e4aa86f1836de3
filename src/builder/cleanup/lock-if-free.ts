/**
 * Cleanup takes every lock non-blocking, as upstream: busy work is someone
 * else's (or in progress) and is simply skipped until the next cycle.
 */
import { isKilnError } from '../../errors/kiln-error.js';
import type { Zk } from '../../zk/zk-types.js';
import type { ZkLock } from '../../zk/lock.js';
import { LOCK_NODE } from '../../model/paths.js';

/** Runs `fn` holding `lock`; `busy` when another client holds it. */
export async function withLockIfFree<T>(lock: ZkLock, fn: () => Promise<T>): Promise<T | 'busy'> {
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
    await lock.release();
  }
}

/**
 * Taking a lock under a record path that vanished meanwhile re-creates the
 * path as an empty znode (kazoo ensure_path, §3.2). Remove such an orphan we
 * made: empty data and nothing under it but the lock directory.
 */
export async function removeLockOrphan(zk: Zk, recordPath: string): Promise<void> {
  const node = await zk.get(recordPath);
  if (node === null || node.data.length > 0) return;
  const children = (await zk.getChildren(recordPath)) ?? [];
  if (children.every((c) => c === LOCK_NODE)) await zk.delete(recordPath, { recursive: true });
}
