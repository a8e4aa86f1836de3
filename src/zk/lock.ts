/**
 * kazoo's `Lock` recipe, reproduced exactly so Python launchers, the nodepool
 * CLI and Python builders see Kiln's locks and Kiln sees theirs
 * (nodepool-compat.md §3.6):
 *   1. ensure the lock path;
 *   2. create an ephemeral sequential `<uuid4 hex>__lock__` child (data = identifier);
 *   3. the lowest `__lock__` sequence holds the lock;
 *   4. non-blocking and not lowest: delete our node, "Did not get lock on <path>";
 *   5. blocking: watch the next lower contender, wake, re-check; timeout → LockTimeout;
 *   6. release deletes our node (the lock directory stays).
 * Not re-entrant. Locks are ephemeral: when the session expires every held lock
 * is lost (`isHeld` turns false and `onLost` listeners run, so the build or
 * upload it protected can be failed, as Nodepool does).
 */
import { isKilnError } from '../errors/kiln-error.js';
import { LockError } from '../errors/lock-error.js';
import type { Zk } from './zk-types.js';
import { baseName, childPath } from './zk-paths.js';
import { newLockPrefix, predecessorOf, sortedContenders } from './lock-names.js';

export interface LockAcquireOptions {
  /** wait for the lock (default true); false fails at once with KILN_LOCK_NOT_ACQUIRED */
  blocking?: boolean;
  /** give up a blocking acquire after this long with KILN_LOCK_TIMEOUT (default: wait forever) */
  timeoutMs?: number;
}

export type LockLostListener = (err: LockError) => void;

// How often a create/delete hit by CONNECTION_LOSS is retried without a deadline
// (each attempt already waited the client's operation timeout).
const CONNECTION_LOSS_RETRIES = 3;

export class ZkLock {
  private readonly prefix = newLockPrefix();
  private readonly data: string;
  private node: string | undefined;
  private held = false;
  private busy = false;
  private readonly lostListeners = new Set<LockLostListener>();
  // Counts session expiries seen while acquiring/holding: a node created in an
  // earlier session is gone, whatever a listing answered before the event.
  private sessionEpoch = 0;
  private nodeEpoch = 0;
  private readonly onExpired = (): void => {
    this.sessionEpoch++;
    this.lose();
  };

  constructor(
    private readonly zk: Zk,
    readonly path: string,
    identifier?: string,
  ) {
    this.data = identifier ?? '';
  }

  /** Names of the lock nodes under `path`, in lock order (first = holder); [] when there is no lock directory. */
  static async contenders(zk: Zk, path: string): Promise<string[]> {
    return sortedContenders((await zk.getChildren(path)) ?? []);
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Our lock node's name (`<hex>__lock__0000000003`) while acquiring or holding. */
  get nodeName(): string | undefined {
    return this.node;
  }

  async acquire(options: LockAcquireOptions = {}): Promise<void> {
    const blocking = options.blocking ?? true;
    if (this.held || this.busy) throw this.notAcquired(); // not re-entrant (kazoo would block forever)
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    this.busy = true;
    this.zk.on('expired', this.onExpired);
    try {
      await this.zk.ensurePath(this.path);
      await this.contend(blocking, deadline, options.timeoutMs);
      this.held = true;
    } catch (err) {
      this.zk.off('expired', this.onExpired);
      await this.bestEffortCleanup();
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /** Deletes our node; a lock that is not held is a no-op. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.zk.off('expired', this.onExpired);
    const node = this.node;
    this.held = false;
    this.node = undefined;
    if (node) await this.retryingConnectionLoss(() => this.zk.delete(childPath(this.path, node)), undefined);
  }

  /** Called with a KILN_LOCK_LOST LockError when the session holding the lock expires. */
  onLost(listener: LockLostListener): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  // --- kazoo _inner_acquire ---------------------------------------------------

  private async contend(blocking: boolean, deadline: number | undefined, timeoutMs: number | undefined): Promise<void> {
    for (;;) {
      if (this.node === undefined) {
        this.nodeEpoch = this.sessionEpoch;
        this.node = await this.createNode(deadline);
      }
      const children = (await this.retryingConnectionLoss(() => this.zk.getChildren(this.path), deadline)) ?? [];
      if (this.nodeEpoch !== this.sessionEpoch || !children.includes(this.node)) {
        // Our ephemeral node is gone (the session expired meanwhile): contend anew, as kazoo's retry does.
        this.node = undefined;
        continue;
      }
      const predecessor = predecessorOf(children, this.node.slice(this.prefix.length));
      if (predecessor === null) return;
      if (!blocking) throw this.notAcquired();
      await this.waitForChange(childPath(this.path, predecessor), deadline, timeoutMs);
    }
  }

  /**
   * Creates our contender node. When the reply is lost (CONNECTION_LOSS) the
   * create may still have happened: look for our prefix before trying again,
   * so we never leave a second node behind (kazoo/Curator's trick).
   */
  private async createNode(deadline: number | undefined): Promise<string> {
    let tried = false;
    return this.retryingConnectionLoss(async () => {
      if (tried) {
        const found = await this.findOwnNode();
        if (found) return found;
      }
      tried = true;
      const created = await this.zk.create(childPath(this.path, this.prefix), this.data, { mode: 'ephemeral_sequential' });
      return baseName(created);
    }, deadline);
  }

  /** Resolves when the predecessor changes or goes away, or the session changes state (then we re-check). */
  private waitForChange(predecessorPath: string, deadline: number | undefined, timeoutMs: number | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (err?: LockError | unknown): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        for (const event of SESSION_EVENTS) this.zk.off(event, wake);
        if (err) reject(err);
        else resolve();
      };
      const wake = (): void => finish();
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(
              () => finish(new LockError('KILN_LOCK_TIMEOUT', this.path, `Failed to acquire lock on ${this.path} after ${(timeoutMs ?? 0) / 1000} seconds`)),
              Math.max(0, deadline - Date.now()),
            );
      for (const event of SESSION_EVENTS) this.zk.on(event, wake);
      this.zk.get(predecessorPath, wake).then(
        (found) => found === null && wake(), // already gone
        (err: unknown) => finish(err),
      );
    });
  }

  private async findOwnNode(): Promise<string | undefined> {
    return ((await this.zk.getChildren(this.path)) ?? []).find((child) => child.startsWith(this.prefix));
  }

  private async bestEffortCleanup(): Promise<void> {
    try {
      const node = this.node ?? (await this.findOwnNode());
      if (node) await this.zk.delete(childPath(this.path, node));
    } catch {
      // best effort, as kazoo: an ephemeral node goes with its session anyway
    }
    this.node = undefined;
  }

  private lose(): void {
    if (!this.held) return;
    this.zk.off('expired', this.onExpired);
    this.held = false;
    this.node = undefined;
    const err = new LockError('KILN_LOCK_LOST', this.path, `Lost lock on ${this.path}: the ZooKeeper session expired`);
    for (const listener of [...this.lostListeners]) {
      try {
        listener(err);
      } catch {
        // one failing listener must not keep the others from learning about the loss
      }
    }
  }

  private notAcquired(): LockError {
    return new LockError('KILN_LOCK_NOT_ACQUIRED', this.path, `Did not get lock on ${this.path}`);
  }

  private async retryingConnectionLoss<T>(operation: () => Promise<T>, deadline: number | undefined): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (err) {
        const retriable = isKilnError(err, 'KILN_ZK_CONNECTION_LOSS') || isKilnError(err, 'KILN_ZK_OPERATION_TIMEOUT');
        const timeLeft = deadline === undefined ? attempt < CONNECTION_LOSS_RETRIES : Date.now() < deadline;
        if (!retriable || !timeLeft) throw err;
      }
    }
  }
}

// kazoo wakes a waiting contender on every connection state change to re-check.
const SESSION_EVENTS = ['connected', 'suspended', 'expired', 'session'] as const;
