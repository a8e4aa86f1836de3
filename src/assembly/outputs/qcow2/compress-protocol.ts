/** Messages between the qcow2 writer and its compression workers (typed, never free text). */

/** Given once, as workerData. */
export interface CompressWorkerConfig {
  /** the raw image, opened by the writer (fds are process-wide; it closes it after the workers end) */
  fd: number;
  clusterSize: number;
  level: number;
}

/** Compress `count` guest clusters starting at `first`. */
export interface CompressRequest {
  kind?: 'batch';
  seq: number;
  first: number;
  count: number;
}

/** Finish the batch in hand (if any), then end the thread. */
export interface StopRequest {
  kind: 'stop';
}

export type CompressResponse =
  | {
      kind: 'done';
      seq: number;
      /** per cluster: 0 all zero, > 0 compressed length, -1 stored whole (did not compress) */
      entries: Int32Array;
      /** the clusters' bytes back to back, in order (compressed or whole) */
      data: Uint8Array;
    }
  | { kind: 'failed'; seq: number; message: string };
