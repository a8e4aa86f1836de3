/** An in-memory ResourceTracker for tests: what is still held, and everything ever tracked. */
import type { ResourceTracker, TrackedResource } from '../../../src/resources/types.js';

export class MemoryTracker implements ResourceTracker {
  readonly held = new Map<string, TrackedResource>();
  readonly history: TrackedResource[] = [];

  async track(resource: TrackedResource): Promise<void> {
    this.held.set(JSON.stringify(resource), resource);
    this.history.push(resource);
  }

  async release(resource: TrackedResource): Promise<void> {
    this.held.delete(JSON.stringify(resource));
  }
}
