import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ResourceTracker, TrackedResource } from './types.js';
import { readStateFile, writeStateFile, type BuildState } from './state-file.js';
import { identityOf } from './process-identity.js';
import { buildsDir } from './state-dir.js';
import { sameResource } from './same-resource.js';
import { ResourceError } from './resource-error.js';

/**
 * The ResourceTracker of one build, backed by `<state>/builds/<id>.json`.
 * Every track()/release() rewrites the file durably before resolving, so a
 * SIGKILL right after a mount still leaves a record of it. Writes are
 * serialised; only one process writes a given file at a time (the parent
 * creates it, then hands it to the worker, then takes it back for cleanup).
 */
export class StateFileTracker implements ResourceTracker {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly path: string,
    private state: BuildState,
  ) {}

  /** A new state file owned by the calling process. */
  static async create(options: { env?: NodeJS.ProcessEnv; buildId?: string } = {}): Promise<StateFileTracker> {
    const buildId = options.buildId ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
    const path = join(buildsDir(options.env), `${buildId}.json`);
    const state: BuildState = {
      version: 1,
      buildId,
      owners: [identityOf(process.pid)],
      createdAt: new Date().toISOString(),
      resources: [],
    };
    const tracker = new StateFileTracker(path, state);
    await tracker.flush();
    return tracker;
  }

  /** Continue an existing state file (the worker taking over from its parent). */
  static async open(path: string): Promise<StateFileTracker> {
    return new StateFileTracker(path, await readStateFile(path));
  }

  get buildId(): string {
    return this.state.buildId;
  }

  get resources(): readonly TrackedResource[] {
    return this.state.resources;
  }

  addOwner(pid: number): Promise<void> {
    return this.mutate(() => {
      this.state.owners.push(identityOf(pid));
    });
  }

  track(resource: TrackedResource): Promise<void> {
    return this.mutate(() => {
      if (!this.state.resources.some((r) => sameResource(r, resource))) this.state.resources.push(resource);
    });
  }

  release(resource: TrackedResource): Promise<void> {
    return this.mutate(() => {
      this.state.resources = this.state.resources.filter((r) => !sameResource(r, resource));
    });
  }

  /** Re-read the file (after another process wrote it). */
  async reload(): Promise<void> {
    await this.queue;
    this.state = await readStateFile(this.path);
  }

  private mutate(change: () => void): Promise<void> {
    const next = this.queue.then(() => {
      change();
      return this.flush();
    });
    // keep the queue alive after a failed write; the caller still sees the error
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async flush(): Promise<void> {
    try {
      await writeStateFile(this.path, this.state);
    } catch (err) {
      throw new ResourceError('KILN_RESOURCE_STATE_IO', `cannot write build state ${this.path}: ${String(err)}`, {
        cause: err,
      });
    }
  }
}
