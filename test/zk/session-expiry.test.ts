import { createTestZk, cutNetwork, forceSessionExpiry, nextZkEvent, type TestZk } from '../support/zk-fixture.js';

let t: TestZk;
beforeEach(async () => {
  t = await createTestZk();
});
afterEach(async () => {
  await t.cleanup();
});

test('after a real session expiry the client emits events, loses its ephemerals and works in a new session', async () => {
  const victim = await t.connectAnother({ timeoutSeconds: 4 });
  await victim.create('/registration', 'me', { mode: 'ephemeral' });
  const oldSession = victim.rawClient.getSessionId().toString('hex');
  const events: string[] = [];
  for (const e of ['connected', 'suspended', 'expired', 'session'] as const) victim.on(e, () => events.push(e));
  const session = nextZkEvent(victim, 'session');

  await forceSessionExpiry(victim);
  // The ephemeral went with the old session (seen from an unrelated client).
  expect(await t.zk.exists('/registration')).toBeNull();
  await session;

  expect(events).toEqual(['suspended', 'expired', 'connected', 'session']);
  expect(victim.isConnected).toBe(true);
  expect(victim.rawClient.getSessionId().toString('hex')).not.toBe(oldSession);
  await victim.create('/registration', 'me again', { mode: 'ephemeral' });
  expect((await t.zk.get('/registration'))?.data.toString()).toBe('me again');
});

test('operations issued while the new session is being made wait for it', async () => {
  const victim = await t.connectAnother();
  await t.zk.create('/data', 'kept');
  const during = new Promise<string | undefined>((resolve, reject) => {
    victim.once('expired', () => {
      victim.get('/data').then((r) => resolve(r?.data.toString()), reject);
    });
  });
  const session = nextZkEvent(victim, 'session');
  await forceSessionExpiry(victim);
  expect(await during).toBe('kept');
  await session;
});

test('without a connection, operations fail with CONNECTION_LOSS after the operation timeout; reconnect resumes the session', async () => {
  const victim = await t.connectAnother({ operationTimeoutMs: 800, timeoutSeconds: 30 });
  await victim.create('/still-mine', '', { mode: 'ephemeral' });
  const suspended = nextZkEvent(victim, 'suspended');
  const restore = await cutNetwork(victim);
  try {
    await suspended;
    expect(victim.isConnected).toBe(false);
    await expect(victim.get('/still-mine')).rejects.toMatchObject({ code: 'KILN_ZK_CONNECTION_LOSS' });
  } finally {
    restore();
  }
  await nextZkEvent(victim, 'connected');
  // Same session: the ephemeral survived the short outage.
  expect(await victim.exists('/still-mine')).not.toBeNull();
});

test('close is final and emits closed once', async () => {
  const victim = await t.connectAnother();
  let closed = 0;
  victim.on('closed', () => closed++);
  await Promise.all([victim.close(), victim.close()]);
  await victim.close();
  expect(closed).toBe(1);
  await expect(victim.exists('/')).rejects.toMatchObject({ code: 'KILN_ZK_CLOSED' });
});
