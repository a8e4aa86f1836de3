/**
 * Recency as Nodepool defines it: by `state_time`, newest first, never by id
 * (getMostRecentBuilds, getMostRecentBuildImageUploads). Python's stable
 * `sort(reverse=True)` keeps listing order among equal times; so does this.
 * A missing state_time (which would crash Python's sort) sorts last.
 */
export function byStateTimeDesc<R extends { stateTime: number | null }>(records: R[]): R[] {
  const time = (r: R): number => r.stateTime ?? -Infinity;
  return [...records].sort((a, b) => (time(a) === time(b) ? 0 : time(b) > time(a) ? 1 : -1));
}

/** `records[:count]`; a null count means all. */
export function firstN<R>(records: R[], count: number | null): R[] {
  return count === null ? records : records.slice(0, Math.max(0, count));
}
