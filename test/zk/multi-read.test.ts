import zookeeper from 'node-zookeeper-client';
import { ZkClient } from '../../src/zk/zk-client.js';
import type { Zk, ZkReadOp, ZkReadResult, ZkWatchEvent } from '../../src/zk/zk-types.js';
import { MAX_OPS_PER_REQUEST, MAX_REQUEST_BYTES } from '../../src/zk/multi-read.js';
import { ZkError } from '../../src/errors/zk-error.js';
import { createTestZk, cutNetwork, forceSessionExpiry, nextZkEvent, testZkPort, type TestZk } from '../support/zk-fixture.js';
import { startMultiReadProxy, type MultiReadProxy } from './multi-read-proxy.js';

let t: TestZk;
beforeEach(async () => {
  t = await createTestZk();
});
afterEach(async () => {
  await t.cleanup();
});

/** The same reads, one request each. */
function singleReads(zk: Zk, ops: ZkReadOp[]): Promise<ZkReadResult[]> {
  return Promise.all(ops.map((o) => (o.op === 'get' ? zk.get(o.path) : zk.getChildren(o.path))));
}

/** A small tree: /tree/n<i> with data and children c<j>, one empty node, one ephemeral. */
async function seed(zk: Zk, nodes: number, children: number): Promise<void> {
  await zk.create('/tree', 'root');
  await Promise.all(
    Array.from({ length: nodes }, async (_, i) => {
      await zk.create(`/tree/n${i}`, `data of n${i}`);
      await Promise.all(Array.from({ length: children }, (_, j) => zk.create(`/tree/n${i}/c${j}`, j % 2 ? '' : `c${j}`)));
    }),
  );
  await zk.create('/tree/empty');
  await zk.create('/tree/mine', 'ephemeral', { mode: 'ephemeral' });
}

test('the client offers multiRead: mixed getData/getChildren equal single reads, missing nodes give null', async () => {
  const zk: Zk = t.zk;
  expect(typeof zk.multiRead).toBe('function');
  await seed(t.zk, 5, 3);
  await t.zk.set('/tree/n1', 'changed');
  const ops: ZkReadOp[] = [
    { op: 'get', path: '/tree' },
    { op: 'getChildren', path: '/tree' },
    { op: 'get', path: '/tree/n1' },
    { op: 'getChildren', path: '/tree/n1' },
    { op: 'get', path: '/tree/missing' },
    { op: 'getChildren', path: '/tree/missing/deeper' },
    { op: 'get', path: '/tree/empty' },
    { op: 'getChildren', path: '/tree/empty' },
    { op: 'get', path: '/tree/mine' },
    { op: 'get', path: '/tree/n1/c0' },
    { op: 'get', path: '/tree/n1' }, // the same read twice
  ];
  expect(t.zk.multiReadSupport).toBe('unknown');
  const results = await t.zk.multiRead(ops);
  expect(t.zk.multiReadSupport).toBe('native');
  expect(results).toEqual(await singleReads(t.zk, ops));

  expect(results[4]).toBeNull();
  expect(results[5]).toBeNull();
  const n1 = results[2] as { data: Buffer; stat: { version: number; numChildren: number } };
  expect(n1.data.toString()).toBe('changed');
  expect(n1.stat).toMatchObject({ version: 1, numChildren: 3 });
  expect((results[3] as string[]).sort()).toEqual(['c0', 'c1', 'c2']);
  expect((results[6] as { data: Buffer }).data.length).toBe(0);
  expect(results[7]).toEqual([]);
  expect((results[8] as { stat: { ephemeralOwner: string } }).stat.ephemeralOwner).toBe(BigInt(`0x${t.zk.rawClient.getSessionId().toString('hex')}`).toString());
  expect(await t.zk.multiRead([])).toEqual([]);
});

test('paths get the chroot like every other operation; "/" is the chroot', async () => {
  await t.zk.create('/inside', 'in the chroot');
  const root = await ZkClient.connect({ servers: [{ host: '127.0.0.1', port: testZkPort() }], connectTimeoutMs: 10000 });
  try {
    const [children, inside, viaRoot] = await t.zk.multiRead([
      { op: 'getChildren', path: '/' },
      { op: 'get', path: '/inside' },
      { op: 'get', path: '/' },
    ]);
    expect(children).toEqual(['inside']); // not the server's root (zookeeper, kiln-test-…)
    expect((inside as { data: Buffer }).data.toString()).toBe('in the chroot');

    // The root-level client sees the same nodes under the chroot's full path.
    const [fromRoot, chrootNode, serverRoot] = await root.multiRead([
      { op: 'get', path: `${t.chroot}/inside` },
      { op: 'get', path: t.chroot },
      { op: 'getChildren', path: '/' },
    ]);
    expect(fromRoot).toEqual(inside);
    expect(chrootNode).toEqual(viaRoot);
    expect(serverRoot).toEqual(expect.arrayContaining(['zookeeper', t.chroot.slice(1)]));
  } finally {
    await root.close();
  }
});

test('large batches are split into several requests and keep op order', async () => {
  await seed(t.zk, 40, 5);
  const proxy = await startMultiReadProxy(testZkPort(), 'pass');
  const counted = await t.connectAnother({ servers: [{ host: '127.0.0.1', port: proxy.port, chroot: t.chroot }] });
  // 3 requests by count (1000 ops each at most)…
  const byCount: ZkReadOp[] = Array.from({ length: 2 * MAX_OPS_PER_REQUEST + 123 }, (_, i) => {
    const n = i % 43;
    const path = n < 40 ? `/tree/n${n}` : n === 40 ? '/tree/empty' : n === 41 ? '/tree/gone' : `/tree/n${i % 40}/c${i % 5}`;
    return { op: i % 3 === 0 ? 'getChildren' : 'get', path };
  });
  // …and by bytes: long (missing) paths, several times MAX_REQUEST_BYTES in total.
  const longName = 'x'.repeat(900);
  const bySize: ZkReadOp[] = Array.from({ length: Math.ceil((3 * MAX_REQUEST_BYTES) / 930) }, (_, i) =>
    i % 100 === 0 ? { op: 'get', path: `/tree/n${i % 40}` } : { op: 'get', path: `/tree/${longName}${i}` },
  );
  try {
    for (const [ops, requests] of [[byCount, 3], [bySize, 4]] as const) {
      const before = proxy.multiReads;
      const results = await counted.multiRead(ops);
      expect(proxy.multiReads - before).toBe(requests);
      expect(results).toHaveLength(ops.length);
      expect(results).toEqual(await singleReads(t.zk, ops));
    }
  } finally {
    await counted.close();
    await proxy.close();
  }
});

test('big nodes: a reply of several MiB over many socket reads', async () => {
  const big = Buffer.alloc(900_000, 'k');
  await t.zk.create('/big');
  await Promise.all(Array.from({ length: 4 }, (_, i) => t.zk.create(`/big/b${i}`, big)));
  const ops: ZkReadOp[] = Array.from({ length: 12 }, (_, i) => ({ op: i % 6 === 5 ? 'getChildren' : 'get', path: i % 6 === 5 ? '/big' : `/big/b${i % 4}` }));
  const results = await t.zk.multiRead(ops);
  results.forEach((r, i) => {
    if (ops[i]?.op === 'getChildren') expect((r as string[]).sort()).toEqual(['b0', 'b1', 'b2', 'b3']);
    // Buffer#equals, not toEqual: jest compares big buffers byte by byte.
    else expect((r as { data: Buffer }).data.equals(big)).toBe(true);
  });
});

test('multiReads interleave with normal operations and watch notifications on the one connection', async () => {
  await seed(t.zk, 20, 3);
  await t.zk.create('/watched', 'w');
  await t.zk.create('/scratch');
  const other = await t.connectAnother();
  const watched = new Promise<ZkWatchEvent>((resolve) => void t.zk.get('/watched', resolve));
  let suspended = 0;
  t.zk.on('suspended', () => suspended++);
  const ops: ZkReadOp[] = Array.from({ length: 20 }, (_, i) => ({ op: 'get', path: `/tree/n${i}` }));
  const expected = await singleReads(t.zk, ops);

  const work: Promise<unknown>[] = [];
  for (let round = 0; round < 30; round++) {
    work.push(t.zk.multiRead(ops).then((r) => expect(r).toEqual(expected)));
    work.push(t.zk.get(`/tree/n${round % 20}`).then((r) => expect(r).toEqual(expected[round % 20])));
    work.push(t.zk.getChildren('/tree/n1').then((r) => expect(r?.sort()).toEqual(['c0', 'c1', 'c2'])));
    work.push(t.zk.create(`/scratch/new${round}`, `v${round}`));
    work.push(t.zk.exists('/tree/gone').then((r) => expect(r).toBeNull()));
    work.push(
      t.zk.multiRead([{ op: 'getChildren', path: '/tree/n2' }, { op: 'get', path: '/nope' }]).then(([children, missing]) => {
        expect((children as string[]).sort()).toEqual(['c0', 'c1', 'c2']);
        expect(missing).toBeNull();
      }),
    );
    if (round === 10) work.push(other.set('/watched', 'poke')); // the notification lands among replies
  }
  await Promise.all(work);
  expect(await watched).toEqual({ type: 'data_changed', path: '/watched' });
  expect((await t.zk.getChildren('/scratch'))?.length).toBe(30);
  // The connection stayed up throughout (no reconnect on a reply the library would not know).
  expect(suspended).toBe(0);
  expect(t.zk.isConnected).toBe(true);
});

test('an error other than NO_NODE rejects the whole call; bad paths reject before sending', async () => {
  await t.zk.create('/open', 'x');
  // Readable by nobody (only ADMIN for everyone): getData answers NO_AUTH.
  const acl = [new zookeeper.ACL(zookeeper.Permission.ADMIN, new zookeeper.Id('world', 'anyone'))];
  await new Promise<void>((resolve, reject) =>
    t.zk.rawClient.create('/locked', Buffer.from('secret'), acl, zookeeper.CreateMode.PERSISTENT, (err) => (err ? reject(err) : resolve())),
  );
  try {
    const failure = await t.zk.multiRead([{ op: 'get', path: '/open' }, { op: 'get', path: '/locked' }]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ZkError);
    expect(failure).toMatchObject({ code: 'KILN_ZK_ERROR', zkCode: -102, path: '/locked' });
  } finally {
    await t.zk.delete('/locked'); // before cleanup: its recursive delete cannot list an unreadable node
  }
  for (const path of ['relative', '/trailing/', '/a//b', '/a/../b']) {
    await expect(t.zk.multiRead([{ op: 'get', path: '/open' }, { op: 'get', path }])).rejects.toMatchObject({ code: 'KILN_ZK_ERROR', path });
  }
  await expect(t.zk.multiRead([{ op: 'exists' as 'get', path: '/open' }])).rejects.toThrow(/unknown read/);
  // The client is fine afterwards.
  expect(await t.zk.multiRead([{ op: 'get', path: '/open' }])).toEqual([await t.zk.get('/open')]);
});

test('timeouts, lost connections, expiry and close behave as for single reads', async () => {
  await t.zk.create('/kept', 'kept');
  const victim = await t.connectAnother({ operationTimeoutMs: 800, timeoutSeconds: 30 });
  const op: ZkReadOp[] = [{ op: 'get', path: '/kept' }];
  expect(await victim.multiRead(op)).toEqual([await t.zk.get('/kept')]);

  // Cut off: CONNECTION_LOSS after the operation timeout; back: works again.
  const restore = await cutNetwork(victim);
  try {
    await expect(victim.multiRead(op)).rejects.toMatchObject({ code: 'KILN_ZK_CONNECTION_LOSS' });
  } finally {
    restore();
  }
  await nextZkEvent(victim, 'connected');
  expect(await victim.multiRead(op)).toEqual([await t.zk.get('/kept')]);

  // Issued while the session is replaced: waits for the new session, like get.
  const during = new Promise<ZkReadResult[]>((resolve, reject) => {
    victim.once('expired', () => void victim.multiRead(op).then(resolve, reject));
  });
  const session = nextZkEvent(victim, 'session');
  await forceSessionExpiry(victim);
  expect(await during).toEqual([await t.zk.get('/kept')]);
  await session;
  expect(victim.multiReadSupport).toBe('native');

  await victim.close();
  await expect(victim.multiRead(op)).rejects.toMatchObject({ code: 'KILN_ZK_CLOSED' });
});

test('an unanswered multiRead times out; the next reply (wrong xid) makes the library reconnect, in the same session', async () => {
  await t.zk.create('/kept', 'kept');
  const proxy = await startMultiReadProxy(testZkPort(), 'drop');
  const client = await t.connectAnother({ servers: [{ host: '127.0.0.1', port: proxy.port, chroot: t.chroot }], operationTimeoutMs: 600 });
  try {
    const session = client.rawClient.getSessionId().toString('hex');
    await expect(client.multiRead([{ op: 'get', path: '/kept' }])).rejects.toMatchObject({ code: 'KILN_ZK_OPERATION_TIMEOUT' });
    expect(client.multiReadSupport).toBe('unknown'); // a timeout teaches nothing
    // The server answers this get, but the client still waits for the multiRead's xid.
    const reconnected = nextZkEvent(client, 'connected');
    await expect(client.get('/kept')).rejects.toMatchObject({ code: 'KILN_ZK_CONNECTION_LOSS' });
    await reconnected;
    expect((await client.get('/kept'))?.data.toString()).toBe('kept');
    expect(client.rawClient.getSessionId().toString('hex')).toBe(session);
  } finally {
    await client.close();
    await proxy.close();
  }
});

describe('a server without multiRead (before 3.6)', () => {
  let proxy: MultiReadProxy;
  beforeEach(async () => {
    proxy = await startMultiReadProxy(testZkPort(), 'unimplemented');
  });
  afterEach(async () => {
    await proxy.close();
  });

  test('is detected once and remembered; reads fall back to single requests in the same session', async () => {
    await seed(t.zk, 10, 2);
    const old = await t.connectAnother({ servers: [{ host: '127.0.0.1', port: proxy.port, chroot: t.chroot }] });
    try {
      const session = old.rawClient.getSessionId().toString('hex');
      await old.create('/tree/registration', 'me', { mode: 'ephemeral' });
      const ops: ZkReadOp[] = [
        { op: 'get', path: '/tree/n1' },
        { op: 'getChildren', path: '/tree/n1' },
        { op: 'get', path: '/tree/missing' },
        { op: 'getChildren', path: '/' },
      ];
      const expected = await singleReads(t.zk, ops);

      // Several calls at once while support is unknown: one request probes, the others wait for its answer.
      const first = await Promise.all([old.multiRead(ops), old.multiRead(ops), old.multiRead(ops.slice(1))]);
      expect(first).toEqual([expected, expected, expected.slice(1)]);
      expect(proxy.multiReads).toBe(1);
      expect(old.multiReadSupport).toBe('single-reads');

      // Remembered: no more multiRead requests; a big batch reads singly.
      const many: ZkReadOp[] = Array.from({ length: 1500 }, (_, i) => ({ op: 'get', path: `/tree/n${i % 10}` }));
      expect(await old.multiRead(many)).toEqual(await singleReads(t.zk, many));
      expect(proxy.multiReads).toBe(1);

      // Same session: the ephemeral is still there, normal operations work.
      expect(old.rawClient.getSessionId().toString('hex')).toBe(session);
      expect((await t.zk.get('/tree/registration'))?.data.toString()).toBe('me');
      expect(await old.create('/tree/after', 'x')).toBe('/tree/after');
    } finally {
      await old.close(); // while the proxy still runs: the session ends now, not at its timeout
    }
  });
});
