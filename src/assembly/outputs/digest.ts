/**
 * The checksums of one byte stream (md5 and/or sha256, see checksum-kinds.ts),
 * updated chunk by chunk as the bytes go by and computed off the main thread:
 * each chunk is copied once into shared memory (or read straight into it, see
 * `updateFromFile`) and hashed there by one worker thread per kind, in
 * parallel, so the writers are not serialized behind ~2 ms/MiB of md5 on one
 * core. Memory stays bounded: `update` returns a promise to await when too
 * many blocks are still being hashed. Always end with `digest()` or
 * `destroy()` (both end the workers).
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ChecksumKind } from './checksum-kinds.js';
import { HashThread } from './hash-thread.js';
import { throwIfAborted } from '../run-tool.js';

/** kind → lowercase hex digest, for the kinds that were asked for */
export type Digests = Partial<Record<ChecksumKind, string>>;

/** Chunks are coalesced into blocks of this size (tar's 64 KiB reads would be many small messages). */
const BLOCK = 4 * 1024 * 1024;
/** Blocks in flight per digester before `update` asks the caller to wait (bounded memory: 4 × 4 MiB). */
const MAX_IN_FLIGHT = 4;

export class Digester {
  private readonly threads: HashThread[] = [];
  private readonly free: SharedArrayBuffer[] = [];
  /** blocks sent, oldest first, with their sequence number */
  private readonly sent: Array<{ seq: number; block: SharedArrayBuffer }> = [];
  private seq = 0;
  private block: SharedArrayBuffer | undefined;
  private view: Uint8Array | undefined;
  private used = 0;

  constructor(readonly kinds: readonly ChecksumKind[]) {
    const recycle = (): void => this.recycle();
    try {
      for (const kind of kinds) this.threads.push(new HashThread(kind, recycle));
    } catch (err) {
      for (const t of this.threads) void t.terminate(); // no thread outlives a failed construction
      throw err;
    }
  }

  /** Copies `chunk` (the caller may reuse it at once); a returned promise means: wait before the next update. */
  update(chunk: Uint8Array): Promise<void> | undefined {
    let at = 0;
    while (at < chunk.length) {
      const view = this.currentView();
      const n = Math.min(chunk.length - at, view.length - this.used);
      view.set(chunk.subarray(at, at + n), this.used);
      this.used += n;
      at += n;
      if (this.used === view.length) this.sendBlock();
    }
    return this.mustWait() ? this.backPressure() : undefined;
  }

  /**
   * Reads `file` from its current position to the end straight into the
   * shared blocks: no intermediate buffer, no copy (used to hash a file that
   * is already complete, e.g. the raw image).
   */
  async updateFromFile(file: FileHandle, signal?: AbortSignal): Promise<void> {
    for (;;) {
      throwIfAborted(signal);
      const view = this.currentView();
      const { bytesRead } = await file.read(view, this.used, view.length - this.used, null);
      if (bytesRead === 0) return;
      this.used += bytesRead;
      if (this.used === view.length) this.sendBlock();
      if (this.mustWait()) await this.backPressure();
    }
  }

  async digest(): Promise<Digests> {
    if (this.used > 0) this.sendBlock();
    const hex = await Promise.all(this.threads.map((t) => t.finish()));
    return Object.fromEntries(this.kinds.map((k, i) => [k, hex[i] as string]));
  }

  /** Ends the workers (after a failure or cancel; harmless after `digest()`). */
  async destroy(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }

  private mustWait(): boolean {
    return this.threads.some((t) => t.pending >= MAX_IN_FLIGHT);
  }

  private async backPressure(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.waitBelow(MAX_IN_FLIGHT)));
  }

  private currentView(): Uint8Array {
    if (!this.view) {
      this.block = this.free.pop() ?? new SharedArrayBuffer(BLOCK);
      this.view = new Uint8Array(this.block);
      this.used = 0;
    }
    return this.view;
  }

  private sendBlock(): void {
    const block = this.block as SharedArrayBuffer;
    for (const t of this.threads) t.send(block, this.used);
    this.sent.push({ seq: this.seq++, block });
    this.block = undefined;
    this.view = undefined;
    this.used = 0;
  }

  /** A block every worker has hashed is reused (saves allocating and faulting in fresh memory). */
  private recycle(): void {
    const done = Math.min(...this.threads.map((t) => t.acked));
    while (this.sent.length > 0 && (this.sent[0] as { seq: number }).seq < done) {
      this.free.push((this.sent.shift() as { block: SharedArrayBuffer }).block);
    }
  }
}

/** md5/sha256 of a whole file, read once straight into the hashers' shared memory. */
export async function hashFile(path: string, kinds: readonly ChecksumKind[], signal?: AbortSignal): Promise<Digests | undefined> {
  if (kinds.length === 0) return undefined;
  const digester = new Digester(kinds);
  try {
    const file = await open(path, 'r');
    try {
      await digester.updateFromFile(file, signal);
    } finally {
      await file.close();
    }
    return await digester.digest();
  } finally {
    await digester.destroy();
  }
}
