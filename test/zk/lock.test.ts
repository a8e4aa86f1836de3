import { ZkLock } from '../../src/zk/lock.js';
import { LockError } from '../../src/errors/index.js';
import { createTestZk, forceSessionExpiry, nextZkEvent, type TestZk } from '../support/zk-fixture.js';
import { kazooHoldLock, kazooTryLock, stopAllKazooPeers } from './kazoo-peer.js';

let t: TestZk;
beforeEach(async () => {
  t = await createTestZk();
});
afterEach(async () => {
  await stopAllKazooPeers();
  await t.cleanup();
});

const LOCK = '/nodepool/images/img/builds/lock';

test('two Kiln clients exclude each other; the loser leaves no node behind', async () => {
  const other = await t.connectAnother();
  const a = new ZkLock(t.zk, LOCK);
  const b = new ZkLock(other, LOCK);
  await a.acquire({ blocking: false });
  expect(a.isHeld).toBe(true);
  expect(a.nodeName).toMatch(/^[0-9a-f]{32}__lock__\d{10}$/);

  const err = await b.acquire({ blocking: false }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LockError);
  expect(err).toMatchObject({ code: 'KILN_LOCK_NOT_ACQUIRED', path: LOCK, message: `Did not get lock on ${LOCK}` });
  expect(b.isHeld).toBe(false);
  expect(await ZkLock.contenders(t.zk, LOCK)).toEqual([a.nodeName]);

  await a.release();
  expect(await ZkLock.contenders(t.zk, LOCK)).toEqual([]);
  expect(await t.zk.exists(LOCK)).not.toBeNull(); // the lock directory stays
  await b.acquire({ blocking: false });
  expect(b.isHeld).toBe(true);
  await b.release();
});

test('a lock is not re-entrant', async () => {
  const lock = new ZkLock(t.zk, LOCK);
  await lock.acquire();
  await expect(lock.acquire({ blocking: false })).rejects.toMatchObject({ code: 'KILN_LOCK_NOT_ACQUIRED' });
  expect(lock.isHeld).toBe(true);
  await lock.release();
});

test('the identifier is the node data', async () => {
  const lock = new ZkLock(t.zk, LOCK, 'nb01.example.org');
  await lock.acquire();
  expect((await t.zk.get(`${LOCK}/${lock.nodeName}`))?.data.toString()).toBe('nb01.example.org');
  await lock.release();
});

test('a blocking acquire wakes when the holder releases', async () => {
  const other = await t.connectAnother();
  const holder = new ZkLock(t.zk, LOCK);
  const waiter = new ZkLock(other, LOCK);
  await holder.acquire();
  const waiting = waiter.acquire({ blocking: true, timeoutMs: 20000 });
  // The waiter has queued behind the holder.
  await waitFor(async () => (await ZkLock.contenders(t.zk, LOCK)).length === 2);
  expect(waiter.isHeld).toBe(false);
  await holder.release();
  await waiting;
  expect(waiter.isHeld).toBe(true);
  expect(await ZkLock.contenders(t.zk, LOCK)).toEqual([waiter.nodeName]);
  await waiter.release();
});

test('a blocking acquire wakes when the holder session closes (ephemeral node goes)', async () => {
  const holderClient = await t.connectAnother();
  await new ZkLock(holderClient, LOCK).acquire();
  const waiter = new ZkLock(t.zk, LOCK);
  const waiting = waiter.acquire({ timeoutMs: 20000 });
  await waitFor(async () => (await ZkLock.contenders(t.zk, LOCK)).length === 2);
  await holderClient.close();
  await waiting;
  expect(waiter.isHeld).toBe(true);
  await waiter.release();
});

test('a blocking acquire times out with KILN_LOCK_TIMEOUT and deletes its node', async () => {
  const other = await t.connectAnother();
  const holder = new ZkLock(t.zk, LOCK);
  await holder.acquire();
  const waiter = new ZkLock(other, LOCK);
  await expect(waiter.acquire({ timeoutMs: 300 })).rejects.toMatchObject({ code: 'KILN_LOCK_TIMEOUT', path: LOCK });
  expect(waiter.isHeld).toBe(false);
  expect(await ZkLock.contenders(t.zk, LOCK)).toEqual([holder.nodeName]);
  await holder.release();
});

test('a held lock is lost when the session expires: isHeld false, listeners called', async () => {
  const victim = await t.connectAnother();
  const lock = new ZkLock(victim, LOCK);
  await lock.acquire();
  const lost: LockError[] = [];
  lock.onLost((err) => lost.push(err));
  let unsubscribedCalls = 0;
  lock.onLost(() => unsubscribedCalls++)();
  const session = nextZkEvent(victim, 'session');

  await forceSessionExpiry(victim);
  expect(lock.isHeld).toBe(false);
  expect(lost).toHaveLength(1);
  expect(lost[0]).toMatchObject({ code: 'KILN_LOCK_LOST', path: LOCK });
  expect(unsubscribedCalls).toBe(0);
  expect(await ZkLock.contenders(t.zk, LOCK)).toEqual([]);

  // After the new session the same holder can lock again; release of a lost lock is a no-op.
  await session;
  await lock.release();
  await lock.acquire({ blocking: false });
  expect(lock.isHeld).toBe(true);
  await lock.release();
});

test('contenders of a missing lock directory is empty', async () => {
  expect(await ZkLock.contenders(t.zk, '/no/such/lock')).toEqual([]);
});

describe('interop with real kazoo', () => {
  test('Kiln cannot take a lock kazoo holds, and can once kazoo releases it', async () => {
    const kazoo = await kazooHoldLock(t.servers, LOCK);
    expect(kazoo.node).toMatch(/^[0-9a-f]{32}__lock__\d{10}$/);
    expect(await ZkLock.contenders(t.zk, LOCK)).toEqual([kazoo.node]);

    const lock = new ZkLock(t.zk, LOCK);
    await expect(lock.acquire({ blocking: false })).rejects.toMatchObject({ code: 'KILN_LOCK_NOT_ACQUIRED' });
    const waiting = lock.acquire({ timeoutMs: 20000 });
    await waitFor(async () => (await ZkLock.contenders(t.zk, LOCK)).length === 2);
    await kazoo.release();
    await waiting;
    expect(lock.isHeld).toBe(true);
    await lock.release();
  });

  test('kazoo cannot take a lock Kiln holds, and can once Kiln releases it', async () => {
    const lock = new ZkLock(t.zk, LOCK);
    await lock.acquire();
    expect(await kazooTryLock(t.servers, LOCK)).toBe(false);
    await lock.release();
    expect(await kazooTryLock(t.servers, LOCK)).toBe(true);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
