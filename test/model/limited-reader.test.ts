import type { Zk } from '../../src/zk/zk-types.js';
import { LimitedReader, hasMultiRead, type ZkReadOp, type ZkReadResult } from '../../src/model/limited-reader.js';
import { readImageTree } from '../../src/model/tree-snapshot.js';
import { exportImageData } from '../../src/model/image-data-export.js';
import { createLimiter } from '../../src/model/limiter.js';
import { seedTree } from './seed-tree.js';
import { useImageStore } from './fixtures.js';

const ctx = useImageStore();

/**
 * The real client plus a `multiRead` made of its single calls: exercises the
 * batching path against real ZooKeeper data until the client offers the
 * native operation.
 */
function withMultiRead(zk: Zk): Zk & { multiRead(ops: ZkReadOp[]): Promise<ZkReadResult[]>; batches: number[] } {
  const batches: number[] = [];
  const multiRead = (ops: ZkReadOp[]): Promise<ZkReadResult[]> => {
    batches.push(ops.length);
    return Promise.all(ops.map((o) => (o.op === 'get' ? zk.get(o.path) : zk.getChildren(o.path))));
  };
  return Object.assign(Object.create(zk) as Zk, { multiRead, batches });
}

test('the batched mode reads the same tree as the per-call mode, in few requests', async () => {
  await seedTree(ctx.store, ctx.t.zk);
  // The real client batches natively (ZooKeeper >= 3.6 multiRead); compare
  // against the same client with multiRead hidden (one request per node).
  const perCall = Object.assign(Object.create(ctx.t.zk) as Zk, { multiRead: undefined });
  const batching = withMultiRead(perCall);
  expect(hasMultiRead(batching)).toBe(true);
  expect(hasMultiRead(perCall)).toBe(false);
  expect(hasMultiRead(ctx.t.zk)).toBe(true);

  const plain = await readImageTree(perCall);
  expect(await readImageTree(batching)).toEqual(plain);
  expect(await readImageTree(ctx.t.zk)).toEqual(plain);
  // One batch per tree level per image sweep, not one request per node.
  const reads = batching.batches.reduce((a, b) => a + b, 0);
  expect(reads).toBeGreaterThan(20);
  expect(batching.batches.length).toBeLessThanOrEqual(8);

  expect(await exportImageData(batching)).toEqual(await exportImageData(perCall));
  expect(await exportImageData(ctx.t.zk)).toEqual(await exportImageData(perCall));
});

test('batches are cut at batchSize; missing nodes read as null; a failed batch rejects its reads', async () => {
  await ctx.t.zk.create('/a', 'x');
  const batching = withMultiRead(ctx.t.zk);
  const reader = new LimitedReader(batching, { batchSize: 2 });
  const [a, missing, children, stat] = await Promise.all([
    reader.get('/a'),
    reader.get('/missing'),
    reader.getChildren('/'),
    reader.exists('/a'),
  ]);
  expect(a?.data.toString()).toBe('x');
  expect(missing).toBeNull();
  expect(children).toContain('a');
  expect(stat?.version).toBe(0);
  expect(batching.batches).toEqual([2, 2]);

  const failing = Object.assign(Object.create(ctx.t.zk) as Zk, {
    multiRead: () => Promise.reject(new Error('boom')),
  });
  await expect(new LimitedReader(failing).get('/a')).rejects.toThrow('boom');
});

test('the limiter never runs more than its concurrency at once and keeps order', async () => {
  const limit = createLimiter(3);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      limit(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
      }),
    ),
  );
  expect(peak).toBe(3);
  expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
});
