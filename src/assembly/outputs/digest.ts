/**
 * md5 + sha256 of one byte stream, updated chunk by chunk as the bytes go by,
 * computed off the main thread: each chunk is copied once into shared memory
 * and hashed there by two worker threads (md5 and sha256 in parallel), so the
 * writers are not serialized behind ~1.7 ms/MiB of hashing on one core.
 * Memory stays bounded: `update` returns a promise to await when too many
 * chunks are still being hashed. Always end with `digest()` or `destroy()`
 * (both end the workers).
 */
import { HashThread } from './hash-thread.js';

export interface Digests {
  md5: string;
  sha256: string;
}

/** Chunks are coalesced into blocks of this size (tar's 64 KiB reads would be many small messages). */
const BLOCK = 4 * 1024 * 1024;
/** Blocks in flight per pair before `update` asks the caller to wait (bounded memory: 4 × 4 MiB). */
const MAX_IN_FLIGHT = 4;

export class DigestPair {
  private readonly threads: HashThread[];
  private readonly free: SharedArrayBuffer[] = [];
  /** blocks sent, oldest first, with their sequence number */
  private readonly sent: Array<{ seq: number; block: SharedArrayBuffer }> = [];
  private seq = 0;
  private block: SharedArrayBuffer | undefined;
  private view: Uint8Array | undefined;
  private used = 0;

  constructor() {
    const recycle = (): void => this.recycle();
    const md5 = new HashThread('md5', recycle);
    try {
      this.threads = [md5, new HashThread('sha256', recycle)];
    } catch (err) {
      void md5.terminate(); // no thread outlives a failed construction
      throw err;
    }
  }

  /** Copies `chunk` (the caller may reuse it at once); a returned promise means: wait before the next update. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (!this.view) this.startBlock();
      const view = this.view as Uint8Array;
      const n = Math.min(chunk.length - at, view.length - this.used);
      view.set(chunk.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === view.length) this.sendBlock();
    }
    if (this.threads.some((t) => t.pending >= MAX_IN_FLIGHT)) return this.backPressure();
    return undefined;
  }

  async digest(): Promise<Digests> {
    if (this.used > 0) this.sendBlock();
    const [md5, sha256] = await Promise.all(this.threads.map((t) => t.finish()));
    return { md5: md5 as string, sha256: sha256 as string };
  }

  /** Ends the workers (after a failure or cancel; harmless after `digest()`). */
  async destroy(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  private async backPressure(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.waitBelow(MAX_IN_FLIGHT)));
  }

  private startBlock(): void {
    this.block = this.free.pop() ?? new SharedArrayBuffer(BLOCK);
    this.view = new Uint8Array(this.block);
    this.used = 0;
  }

  private sendBlock(): void {
    const block = this.block as SharedArrayBuffer;
    for (const t of this.threads) t.send(block, this.used);
    this.sent.push({ seq: this.seq++, block });
    this.block = undefined;
    this.view = undefined;
    this.used = 0;
  }

  /** A block both workers have hashed is reused (saves allocating and faulting in fresh memory). */
  private recycle(): void {
    const done = Math.min(...this.threads.map((t) => t.acked));
    while (this.sent.length > 0 && (this.sent[0] as { seq: number }).seq < done) {
      this.free.push((this.sent.shift() as { block: SharedArrayBuffer }).block);
    }
  }
}
