/**
 * A small promise pool: at most `concurrency` calls run at once, the rest
 * queue in order. node-zookeeper-client pipelines requests on one socket, so
 * many requests in flight make tree walks fast, while the bound keeps memory
 * and the server's queue reasonable. Wrap only leaf calls (a single ZooKeeper
 * request), never a task that itself waits on the same limiter: that could
 * deadlock once every slot is taken by a waiting parent.
 */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export const DEFAULT_CONCURRENCY = 256;

export function createLimiter(concurrency: number = DEFAULT_CONCURRENCY): Limiter {
  const max = Math.max(1, Math.floor(concurrency));
  let running = 0;
  // A head index instead of Array.shift(): shift is O(n), and tree walks queue tens of thousands.
  let waiting: Array<() => void> = [];
  let head = 0;

  const release = (): void => {
    running--;
    if (head < waiting.length) {
      const next = waiting[head] as () => void;
      waiting[head++] = noop; // drop the reference for the GC
      if (head > 1024 && head * 2 > waiting.length) {
        waiting = waiting.slice(head);
        head = 0;
      }
      next();
    }
  };

  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        running++;
        task().then(resolve, reject).finally(release);
      };
      if (running < max) start();
      else waiting.push(start);
    });
}

function noop(): void {}
