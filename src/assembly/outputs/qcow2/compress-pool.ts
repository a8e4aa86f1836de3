/**
 * A pool of compression worker threads (one per available CPU by default),
 * one batch in flight per worker, further batches queued. `destroy()` ends
 * every worker; a worker that dies or fails fails its batch.
 *
 * Workers are asked to stop and end between batches rather than being
 * terminated: terminating a thread inside deflateRawSync aborts the whole
 * process in Node's zlib cleanup ("close before init"). Only a worker that
 * has not ended after STOP_GRACE_MS is terminated.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AssemblyError } from '../../assembly-error.js';
import { kilnRoot } from '../../../pipeline/paths.js';
import type { CompressRequest, CompressResponse, CompressWorkerConfig, StopRequest } from './compress-protocol.js';
import { once } from 'node:events';

export type CompressedBatch = Extract<CompressResponse, { kind: 'done' }>;

interface Slot {
  worker: Worker;
  busy?: { req: CompressRequest; resolve: (r: CompressedBatch) => void; reject: (e: unknown) => void };
}

export class CompressPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Array<NonNullable<Slot['busy']>> = [];
  private destroyed = false;

  constructor(config: CompressWorkerConfig, size = availableParallelism()) {
    const entry = workerEntry();
    for (let i = 0; i < Math.max(1, size); i++) {
      const slot: Slot = { worker: new Worker(entry, { workerData: config }) };
      slot.worker.on('message', (res: CompressResponse) => this.settle(slot, res));
      slot.worker.on('error', (err) => this.fail(slot, err));
      slot.worker.on('exit', (code) => this.fail(slot, new Error(`exited with code ${code}`)));
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  run(req: CompressRequest): Promise<CompressedBatch> {
    return new Promise((resolve, reject) => {
      if (this.destroyed) return reject(new AssemblyError('KILN_ASSEMBLY_CANCELLED', 'qcow2 compression pool is closed'));
      this.queue.push({ req, resolve, reject });
      this.dispatch();
    });
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    for (const job of this.queue.splice(0)) job.reject(new AssemblyError('KILN_ASSEMBLY_CANCELLED', 'qcow2 compression pool is closed'));
    await Promise.all(this.slots.map((s) => stopWorker(s.worker)));
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      slot.busy = this.queue.shift();
      slot.worker.postMessage(slot.busy?.req);
    }
  }

  private settle(slot: Slot, res: CompressResponse): void {
    const job = slot.busy;
    slot.busy = undefined;
    if (!job) return;
    if (res.kind === 'done') job.resolve(res);
    else job.reject(new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', `qcow2 compression worker failed: ${res.message}`));
    this.dispatch();
  }

  private fail(slot: Slot, err: unknown): void {
    const job = slot.busy;
    slot.busy = undefined;
    if (this.destroyed) return job?.reject(new AssemblyError('KILN_ASSEMBLY_CANCELLED', 'qcow2 compression pool is closed'));
    this.destroyed = true; // a lost worker would stall the queue: fail everything
    const error = new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', `qcow2 compression worker failed: ${(err as Error).message ?? String(err)}`, { cause: err });
    job?.reject(error);
    for (const queued of this.queue.splice(0)) queued.reject(error);
  }
}

const STOP_GRACE_MS = 30_000;

async function stopWorker(worker: Worker): Promise<void> {
  if (worker.threadId === -1) return; // already ended
  const ended = once(worker, 'exit');
  const stop: StopRequest = { kind: 'stop' };
  worker.postMessage(stop);
  const timer = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
  try {
    await ended;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The worker always runs compiled JavaScript: next to this module when it is
 * compiled (dist/, dist-bench/), from dist/ when jest runs the TypeScript.
 */
function workerEntry(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = join(here, '..', 'compress-worker.js');
  if (here.endsWith('.js') && existsSync(sibling)) return sibling;
  return join(kilnRoot(), 'dist', 'assembly', 'outputs', 'qcow2', 'compress-worker.js');
}
