/**
 * Resources a build creates on the host. Each one is recorded in the build's
 * state file the moment it exists (before anything can fail or be killed), so
 * that one idempotent cleanup can undo them after a failure, a cancel, or a
 * SIGKILL of the worker (on the next run or with `kiln cleanup`).
 */
export type TrackedResource =
  | { kind: 'mount'; path: string }
  | { kind: 'loop'; device: string; backingFile: string }
  | { kind: 'tempdir'; path: string }
  | { kind: 'file'; path: string } // a partial output to remove on failure
  | { kind: 'process'; pid: number }; // a process group leader to kill

export interface ResourceTracker {
  /** Record before/at creation; resolves once durably written to the state file. */
  track(resource: TrackedResource): Promise<void>;
  /** The resource was undone normally (unmounted, detached, removed): forget it. */
  release(resource: TrackedResource): Promise<void>;
}
