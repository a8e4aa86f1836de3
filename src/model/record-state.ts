/**
 * State changes of build and upload records. Nodepool's `state` setter resets
 * `state_time` on every assignment (nodepool/zk/zookeeper.py BaseModel), so
 * "age" always means "time in the current state" and recency sorting uses the
 * last state change. Every Kiln writer that changes a state goes through here.
 */

/** Seconds since the epoch as a float, like Python's time.time(). */
export function nowSeconds(): number {
  return Date.now() / 1000;
}

export function withState<R extends { state: S | null; stateTime: number | null }, S extends string>(
  record: R,
  state: S,
  now: number = nowSeconds(),
): R {
  return { ...record, state, stateTime: now };
}
