import { ZkClient } from '../../src/zk/zk-client.js';
import type { ZkWatchEvent } from '../../src/zk/zk-types.js';
import { freePort } from '../../src/util/free-port.js';
import { isKilnError } from '../../src/errors/index.js';
import { createTestZk, type TestZk } from '../support/zk-fixture.js';

let t: TestZk;
beforeEach(async () => {
  t = await createTestZk();
});
afterEach(async () => {
  await t.cleanup();
});

/** Resolves with the first event a one-shot watcher receives. */
function nextEvent(): { watcher: (e: ZkWatchEvent) => void; event: Promise<ZkWatchEvent> } {
  let watcher!: (e: ZkWatchEvent) => void;
  const event = new Promise<ZkWatchEvent>((resolve) => (watcher = resolve));
  return { watcher, event };
}

test('the fixture connects under its own chroot, which exists at the root', async () => {
  expect(t.zk.isConnected).toBe(true);
  expect(t.zk.connectString).toBe(`127.0.0.1:${process.env.KILN_TEST_ZK_PORT}${t.chroot}`);
  const root = await ZkClient.connect({ servers: [{ host: '127.0.0.1', port: Number(process.env.KILN_TEST_ZK_PORT) }] });
  try {
    await t.zk.create('/marker', 'x');
    expect((await root.get(`${t.chroot}/marker`))?.data.toString()).toBe('x');
  } finally {
    await root.close();
  }
});

test('create / get / set / children / exists / delete round trip', async () => {
  expect(await t.zk.create('/a', 'one')).toBe('/a');
  const got = await t.zk.get('/a');
  expect(got?.data.toString()).toBe('one');
  expect(got?.stat.version).toBe(0);
  expect(got?.stat.ephemeralOwner).toBe('0');
  expect(got?.stat.ctime).toBeGreaterThan(1_600_000_000_000);

  const stat = await t.zk.set('/a', Buffer.from('two'));
  expect(stat.version).toBe(1);
  expect((await t.zk.get('/a'))?.data.toString()).toBe('two');

  await t.zk.create('/a/c1');
  await t.zk.create('/a/c2', undefined, { mode: 'ephemeral' });
  expect((await t.zk.getChildren('/a'))?.sort()).toEqual(['c1', 'c2']);
  const ephemeral = await t.zk.exists('/a/c2');
  expect(ephemeral?.ephemeralOwner).not.toBe('0');
  expect((await t.zk.exists('/a'))?.numChildren).toBe(2);

  expect(await t.zk.delete('/a/c1')).toBe(true);
  expect(await t.zk.exists('/a/c1')).toBeNull();
});

test('missing nodes: get/getChildren/exists give null, delete gives false, set throws NO_NODE', async () => {
  expect(await t.zk.get('/missing')).toBeNull();
  expect(await t.zk.getChildren('/missing')).toBeNull();
  expect(await t.zk.exists('/missing')).toBeNull();
  expect(await t.zk.delete('/missing')).toBe(false);
  expect(await t.zk.delete('/missing', { recursive: true })).toBe(false);
  await expect(t.zk.set('/missing', 'x')).rejects.toMatchObject({ code: 'KILN_ZK_NO_NODE', path: '/missing', zkCode: -101 });
});

test('typed errors: node exists, bad version, not empty, missing parent', async () => {
  await t.zk.create('/e/child', '', { makeParents: true });
  await expect(t.zk.create('/e')).rejects.toMatchObject({ code: 'KILN_ZK_NODE_EXISTS' });
  await expect(t.zk.set('/e', 'x', 7)).rejects.toMatchObject({ code: 'KILN_ZK_BAD_VERSION' });
  await expect(t.zk.delete('/e')).rejects.toMatchObject({ code: 'KILN_ZK_NOT_EMPTY' });
  await expect(t.zk.create('/nope/child')).rejects.toMatchObject({ code: 'KILN_ZK_NO_NODE' });
  await expect(t.zk.get('no-leading-slash')).rejects.toMatchObject({ code: 'KILN_ZK_ERROR' });
});

test('makeParents, ensurePath and recursive delete', async () => {
  expect(await t.zk.create('/p/q/r', 'leaf', { makeParents: true })).toBe('/p/q/r');
  expect((await t.zk.get('/p/q'))?.data.length).toBe(0);
  await t.zk.ensurePath('/p/q/s/t');
  await t.zk.ensurePath('/p/q/s/t'); // idempotent
  expect(await t.zk.exists('/p/q/s/t')).not.toBeNull();
  for (let i = 0; i < 5; i++) await t.zk.create(`/p/q/r/n${i}/deep`, '', { makeParents: true });

  expect(await t.zk.delete('/p', { recursive: true })).toBe(true);
  expect(await t.zk.exists('/p')).toBeNull();
});

test('watches fire: data change, children change, creation, deletion', async () => {
  await t.zk.create('/w', 'v0');
  const data = nextEvent();
  await t.zk.get('/w', data.watcher);
  await t.zk.set('/w', 'v1');
  expect(await data.event).toEqual({ type: 'data_changed', path: '/w' });

  const children = nextEvent();
  expect(await t.zk.getChildren('/w', children.watcher)).toEqual([]);
  await t.zk.create('/w/kid');
  expect(await children.event).toEqual({ type: 'children_changed', path: '/w' });

  const creation = nextEvent();
  expect(await t.zk.exists('/w/later', creation.watcher)).toBeNull();
  await t.zk.create('/w/later');
  expect(await creation.event).toEqual({ type: 'created', path: '/w/later' });

  const deletion = nextEvent();
  await t.zk.exists('/w/later', deletion.watcher);
  await t.zk.delete('/w/later');
  expect(await deletion.event).toEqual({ type: 'deleted', path: '/w/later' });
});

test('watches see changes made by another session', async () => {
  const other = await t.connectAnother();
  await t.zk.create('/shared');
  const change = nextEvent();
  await t.zk.getChildren('/shared', change.watcher);
  await other.create('/shared/from-other');
  expect(await change.event).toEqual({ type: 'children_changed', path: '/shared' });
});

test('sequential create on a trailing-slash path gives bare 10-digit names after the lock child (Nodepool upload ids)', async () => {
  const images = '/nodepool/images/img/builds/b1/providers/p1/images';
  await t.zk.ensurePath(`${images}/lock`);
  expect(await t.zk.create(`${images}/`, '{}', { mode: 'persistent_sequential' })).toBe(`${images}/0000000001`);
  expect(await t.zk.create(`${images}/`, '{}', { mode: 'persistent_sequential' })).toBe(`${images}/0000000002`);
  expect((await t.zk.getChildren(images))?.sort()).toEqual(['0000000001', '0000000002', 'lock']);
  // The allowance is only for sequential creates; the stock validator still applies elsewhere.
  await expect(t.zk.create(`${images}/`, '')).rejects.toMatchObject({ code: 'KILN_ZK_ERROR' });
  await expect(t.zk.get(`${images}/`)).rejects.toMatchObject({ code: 'KILN_ZK_ERROR' });
});

test('sequential create with makeParents creates the parent first', async () => {
  expect(await t.zk.create('/fresh/dir/', '', { mode: 'persistent_sequential', makeParents: true })).toBe('/fresh/dir/0000000000');
  expect(await t.zk.create('/seq/job-', '', { mode: 'ephemeral_sequential', makeParents: true })).toBe('/seq/job-0000000000');
});

test('ephemeral nodes vanish when their client closes; closed clients refuse work', async () => {
  const other = await t.connectAnother();
  await other.create('/eph', '', { mode: 'ephemeral' });
  expect(await t.zk.exists('/eph')).not.toBeNull();
  const events: string[] = [];
  other.on('closed', () => events.push('closed'));
  await other.close();
  expect(events).toEqual(['closed']);
  expect(other.isConnected).toBe(false);
  expect(await t.zk.exists('/eph')).toBeNull();
  await expect(other.get('/eph')).rejects.toMatchObject({ code: 'KILN_ZK_CLOSED' });
});

test('a chroot that does not exist yet is created on connect, nested too', async () => {
  const nested = await t.connectAnother({ servers: [{ ...t.servers[0]!, chroot: `${t.chroot}/deeper/still` }] });
  await nested.create('/x', 'y');
  expect((await t.zk.get('/deeper/still/x'))?.data.toString()).toBe('y');
});

test('connect timeout to a dead port names the servers tried', async () => {
  const deadPort = await freePort();
  const started = ZkClient.connect({ servers: [{ host: '127.0.0.1', port: deadPort, chroot: '/x' }], connectTimeoutMs: 1500 });
  const err = await started.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isKilnError(err, 'KILN_ZK_CONNECT_TIMEOUT')).toBe(true);
  expect((err as Error).message).toContain(`127.0.0.1:${deadPort}`);
});
