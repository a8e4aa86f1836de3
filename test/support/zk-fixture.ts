/**
 * Per-test ZooKeeper isolation: every test gets its own chroot
 * (`/kiln-test-<random>`) on the one server jest's global setup started
 * (127.0.0.1:$KILN_TEST_ZK_PORT). cleanup() closes the test's clients and
 * deletes the chroot through a root-level client, also after a failed test.
 *
 *   let t: TestZk;
 *   beforeEach(async () => { t = await createTestZk(); });
 *   afterEach(async () => { await t.cleanup(); });
 */
import { randomBytes } from 'node:crypto';
import { ZkClient } from '../../src/zk/zk-client.js';
import type { ZkConnectOptions, ZkEvents, ZkServer } from '../../src/zk/zk-types.js';
import { closeRawClient, createRawClient, waitConnected } from '../../src/zk/raw-client.js';
import { connectionManager } from '../../src/zk/library-internals.js';
import { freePort } from '../../src/util/free-port.js';

export interface TestZk {
  /** connected under the test's chroot */
  zk: ZkClient;
  /** e.g. `/kiln-test-3f9a…` */
  chroot: string;
  /** the `zookeeper-servers` entries for this chroot (for configs and Python peers) */
  servers: ZkServer[];
  /** another client (own session) in the same chroot; closed by cleanup() */
  connectAnother(options?: Partial<ZkConnectOptions>): Promise<ZkClient>;
  cleanup(): Promise<void>;
}

export function testZkPort(): number {
  const port = Number(process.env.KILN_TEST_ZK_PORT);
  if (!port) throw new Error('KILN_TEST_ZK_PORT is not set: run the tests through jest (global setup starts ZooKeeper)');
  return port;
}

export async function createTestZk(options: Partial<ZkConnectOptions> = {}): Promise<TestZk> {
  const chroot = `/kiln-test-${randomBytes(6).toString('hex')}`;
  const servers: ZkServer[] = [{ host: '127.0.0.1', port: testZkPort(), chroot }];
  const clients: ZkClient[] = [];
  const connectAnother = async (more: Partial<ZkConnectOptions> = {}): Promise<ZkClient> => {
    const client = await ZkClient.connect({ servers, connectTimeoutMs: 10000, operationTimeoutMs: 10000, ...options, ...more });
    clients.push(client);
    return client;
  };
  const zk = await connectAnother();
  return {
    zk,
    chroot,
    servers,
    connectAnother,
    async cleanup() {
      await Promise.all(clients.map((c) => c.close()));
      await deleteChroot(chroot);
    },
  };
}

async function deleteChroot(chroot: string): Promise<void> {
  const root = await ZkClient.connect({ servers: [{ host: '127.0.0.1', port: testZkPort() }], connectTimeoutMs: 10000 });
  try {
    await root.delete(chroot, { recursive: true });
  } finally {
    await root.close();
  }
}

/**
 * Cuts a client off the network until the returned `restore()` is called: its
 * socket is dropped and reconnects go to a dead port. Real disconnection (the
 * library sees a closed socket), no mocks.
 */
export async function cutNetwork(zk: ZkClient): Promise<() => void> {
  const manager = connectionManager(zk.rawClient);
  const real = manager.servers;
  manager.servers = [{ host: '127.0.0.1', port: await freePort() }];
  manager.socket?.destroy();
  return () => {
    // The client in use may have been replaced meanwhile (expiry): restore both.
    manager.servers = real;
    connectionManager(zk.rawClient).servers = real;
  };
}

/**
 * Expires a client's session for real: while the client is cut off, a second
 * connection resumes the same session (id + password) and closes it, so the
 * server deletes the session and its ephemerals; when the client reconnects
 * the server answers "session expired". Resolves once the client emitted
 * `expired` (the new session may still be connecting: wait for `session`).
 */
export async function forceSessionExpiry(zk: ZkClient): Promise<void> {
  const raw = zk.rawClient;
  const expired = new Promise<void>((resolve) => zk.once('expired', () => resolve()));
  const restore = await cutNetwork(zk);
  const hijack = createRawClient({
    endpoints: [{ host: '127.0.0.1', port: testZkPort() }],
    chroot: undefined,
    sessionTimeoutMs: raw.getSessionTimeout(),
    session: { id: raw.getSessionId(), password: raw.getSessionPassword() },
  });
  hijack.connect();
  try {
    if (!(await waitConnected(hijack, 10000))) throw new Error('forceSessionExpiry: could not resume the session');
  } finally {
    await closeRawClient(hijack);
  }
  restore();
  await expired;
}

/** Resolves on the next `event` of `zk`. */
export function nextZkEvent(zk: ZkClient, event: keyof ZkEvents): Promise<void> {
  return new Promise((resolve) => zk.once(event, () => resolve()));
}
