/**
 * Cleanup takes every lock non-blocking, as upstream: busy work is someone
 * else's (or in progress) and is simply skipped until the next cycle.
 */
import type { Zk } from '../../zk/zk-types.js';
import { LOCK_NODE } from '../../model/paths.js';

export { withLockIfFree } from '../../zk/with-lock-if-free.js';

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
