/**
 * The main-thread end of one hashing worker: sends chunks, counts the ones
 * not yet hashed (so the caller can wait instead of queueing unbounded
 * memory), and returns the digest at the end. A worker that fails or dies
 * fails every later call; `terminate()` always ends the thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AssemblyError } from '../assembly-error.js';
import { kilnRoot } from '../../pipeline/paths.js';
import type { HashAlgorithm, HashRequest, HashResponse, HashWorkerConfig } from './hash-protocol.js';

export class HashThread {
  private readonly worker: Worker;
  /** chunks sent and not yet acknowledged */
  private unacked = 0;
  /** acknowledgements so far (chunks are hashed in the order they were sent) */
  acked = 0;
  private failure: AssemblyError | undefined;
  private closed = false;
  private onProgress: Array<() => void> = [];
  private result: { resolve: (hex: string) => void; reject: (e: unknown) => void } | undefined;

  constructor(
    readonly algorithm: HashAlgorithm,
    private readonly onAck: () => void,
  ) {
    const config: HashWorkerConfig = { algorithm };
    this.worker = new Worker(workerEntry(), { workerData: config });
    this.worker.on('message', (res: HashResponse) => this.receive(res));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`exited with code ${code}`)));
  }

  get pending(): number {
    return this.unacked;
  }

  send(data: SharedArrayBuffer, length: number): void {
    this.throwIfFailed();
    const req: HashRequest = { kind: 'chunk', data, length };
    this.worker.postMessage(req);
    this.unacked++;
  }

  /** Resolves once fewer than `max` chunks are waiting in this worker. */
  async waitBelow(max: number): Promise<void> {
    while (this.unacked >= max) {
      this.throwIfFailed();
      await new Promise<void>((resolve) => this.onProgress.push(resolve));
    }
    this.throwIfFailed();
  }

  /** The digest of everything sent; the worker ends afterwards. */
  async finish(): Promise<string> {
    this.throwIfFailed();
    const hex = new Promise<string>((resolve, reject) => (this.result = { resolve, reject }));
    const req: HashRequest = { kind: 'end' };
    this.worker.postMessage(req);
    try {
      return await hex;
    } finally {
      await this.terminate();
    }
  }

  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.worker.terminate();
  }

  private receive(res: HashResponse): void {
    if (res.kind === 'ack') {
      this.unacked--;
      this.acked++;
      this.onAck();
      this.wake();
    } else if (res.kind === 'digest') {
      this.result?.resolve(res.hex);
    } else {
      this.fail(new Error(res.message));
    }
  }

  private fail(err: unknown): void {
    if (this.failure) return;
    const message = this.closed ? `${this.algorithm} hashing was stopped` : `${this.algorithm} hashing worker failed: ${(err as Error).message ?? String(err)}`;
    this.failure = new AssemblyError(this.closed ? 'KILN_ASSEMBLY_CANCELLED' : 'KILN_ASSEMBLY_TOOL_FAILED', message, { cause: err });
    this.result?.reject(this.failure);
    this.wake();
    if (!this.closed) void this.terminate();
  }

  private wake(): void {
    for (const resolve of this.onProgress.splice(0)) resolve();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
    if (this.closed) throw new AssemblyError('KILN_ASSEMBLY_CANCELLED', `${this.algorithm} hashing was stopped`);
  }
}

/**
 * The worker always runs compiled JavaScript: next to this module when it is
 * compiled (dist/, dist-bench/), from dist/ when jest runs the TypeScript.
 */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(here, '..', 'hash-worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  return join(kilnRoot(), 'dist', 'assembly', 'outputs', 'hash-worker.js');
}
