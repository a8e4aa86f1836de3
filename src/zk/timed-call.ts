/**
 * One library call as a promise with a deadline. The library never fails a
 * queued request on its own while it is (re)connecting, and retries a dead
 * port forever, so every operation carries its own timeout.
 */
import type { ZkError } from '../errors/zk-error.js';

export type LibraryDone<T> = (err: unknown, value?: T) => void;

export interface TimedCall<T> {
  timeoutMs: number;
  /** issues the request; may throw synchronously (the library's argument checks) */
  invoke(done: LibraryDone<T>): void;
  /** the error for a request unanswered in time */
  onTimeout(): ZkError;
  /** the error for a library failure */
  mapError(err: unknown): ZkError;
}

export function timedCall<T>(call: TimedCall<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(call.onTimeout());
    }, call.timeoutMs);
    const done: LibraryDone<T> = (err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(call.mapError(err));
      else resolve(value as T);
    };
    try {
      call.invoke(done);
    } catch (err) {
      done(err);
    }
  });
}
