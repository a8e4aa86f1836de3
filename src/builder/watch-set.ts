/**
 * ZooKeeper watches are one-shot, and the client library adds a listener per
 * call: arming the same watch on every pass would pile them up. WatchSet arms
 * each (kind, path) once, forgets it when it fires, and forgets all of them
 * after a session expiry (the server dropped them) so the next pass re-arms.
 */
import type { Zk, ZkWatchEvent } from '../zk/zk-types.js';

export type WatchKind = 'children' | 'exists';

export class WatchSet {
  private readonly armed = new Set<string>();
  private closed = false;

  constructor(
    private readonly zk: Zk,
    private readonly onFire: (event: ZkWatchEvent) => void,
  ) {}

  get size(): number {
    return this.armed.size;
  }

  /** Arms a children watch; returns the children (null: no node, an exists watch is armed instead). */
  async children(path: string): Promise<string[] | null> {
    const key = `children:${path}`;
    if (this.armed.has(key)) return this.zk.getChildren(path);
    this.armed.add(key);
    try {
      const children = await this.zk.getChildren(path, (event) => this.fire(key, event));
      if (children === null) {
        // No node, no watch: watch for its creation instead.
        this.armed.delete(key);
        await this.exists(path);
      }
      return children;
    } catch (err) {
      this.armed.delete(key);
      throw err;
    }
  }

  async exists(path: string): Promise<boolean> {
    const key = `exists:${path}`;
    if (this.armed.has(key)) return (await this.zk.exists(path)) !== null;
    this.armed.add(key);
    try {
      return (await this.zk.exists(path, (event) => this.fire(key, event))) !== null;
    } catch (err) {
      this.armed.delete(key);
      throw err;
    }
  }

  /** After an expiry: every watch is gone server-side. */
  reset(): void {
    this.armed.clear();
  }

  close(): void {
    this.closed = true;
    this.armed.clear();
  }

  private fire(key: string, event: ZkWatchEvent): void {
    this.armed.delete(key);
    if (!this.closed) this.onFire(event);
  }
}
