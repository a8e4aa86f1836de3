/**
 * A fixed number of worker slots (`--build-workers`, `--upload-workers`) fed
 * from a FIFO queue. Jobs are keyed (an image, or image/build/provider) so the
 * scheduler can offer the same work on every pass without queueing it twice.
 * Each running job gets an AbortSignal that stop() fires.
 */
export type JobRunner = (signal: AbortSignal) => Promise<void>;

interface QueuedJob {
  key: string;
  run: JobRunner;
}

export class JobPool {
  private readonly queue: QueuedJob[] = [];
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private stopped = false;

  constructor(
    readonly size: number,
    private readonly onIdleSlot: () => void,
    private readonly onError: (key: string, err: unknown) => void,
  ) {}

  get runningCount(): number {
    return this.running.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  get hasFreeSlot(): boolean {
    return this.running.size + this.queue.length < this.size;
  }

  has(key: string): boolean {
    return this.running.has(key) || this.queue.some((j) => j.key === key);
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  runningKeys(): string[] {
    return [...this.running.keys()];
  }

  /** false when the key is already queued or running, or the pool stopped */
  offer(key: string, run: JobRunner): boolean {
    if (this.stopped || this.has(key)) return false;
    this.queue.push({ key, run });
    this.pump();
    return true;
  }

  /** Drops queued jobs, aborts running ones and waits for them to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.length = 0;
    const running = [...this.running.values()];
    for (const job of running) job.controller.abort();
    await Promise.all(running.map((job) => job.done));
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.size && this.queue.length > 0) {
      const job = this.queue.shift() as QueuedJob;
      const controller = new AbortController();
      const done = job
        .run(controller.signal)
        .catch((err: unknown) => this.onError(job.key, err))
        .finally(() => {
          this.running.delete(job.key);
          this.pump();
          if (!this.stopped) this.onIdleSlot();
        });
      this.running.set(job.key, { controller, done });
    }
  }
}
