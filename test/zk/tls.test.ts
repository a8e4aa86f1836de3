import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZkClient } from '../../src/zk/zk-client.js';
import { startZooKeeper, type RunningZooKeeper } from '../../src/zk/zookeeper-server.js';
import { connect as netConnect } from 'node:net';
import { readTlsFiles } from '../../src/zk/tls-files.js';
import { startTlsTunnel } from '../../src/zk/tls-tunnel.js';
import { silentZkLogger } from '../../src/zk/zk-logger.js';
import { freePort } from '../../src/util/free-port.js';
import { isKilnError } from '../../src/errors/index.js';
import type { ZkServer, ZkTlsFiles } from '../../src/zk/zk-types.js';
import { generateTestCerts, type TestCerts } from '../support/tls-certs.js';
import { kazooGet, stopAllKazooPeers } from './kazoo-peer.js';

// One TLS-only ZooKeeper (plus the plaintext port it must also have) for this file.
let certs: TestCerts;
let server: RunningZooKeeper;
let serverDir: string;
let secure: ZkServer;
let tls: ZkTlsFiles;
const clients: ZkClient[] = [];

beforeAll(async () => {
  certs = await generateTestCerts();
  serverDir = await mkdtemp(join(tmpdir(), 'kiln-test-zk-tls-'));
  server = await startZooKeeper({
    dir: serverDir,
    clientPort: await freePort(),
    secureClientPort: await freePort(),
    tls: { keyStore: certs.serverKeyStore, trustStore: certs.ca, clientAuth: true },
  });
  secure = { host: '127.0.0.1', port: server.secureClientPort as number, chroot: '/kiln-tls' };
  tls = { cert: certs.clientCert, key: certs.clientKey, ca: certs.ca };
}, 120000);

afterEach(async () => {
  await stopAllKazooPeers();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await server?.stop();
  await rm(serverDir, { recursive: true, force: true });
  await certs?.cleanup();
});

async function connect(options: Parameters<typeof ZkClient.connect>[0]): Promise<ZkClient> {
  const client = await ZkClient.connect(options);
  clients.push(client);
  return client;
}

test('round trips through the TLS tunnel, chroot preserved', async () => {
  const zk = await connect({ servers: [secure], tls, connectTimeoutMs: 15000 });
  expect(zk.connectString).toBe(`127.0.0.1:${secure.port}/kiln-tls`);
  await zk.create('/tls/node', 'over tls', { makeParents: true });
  expect((await zk.get('/tls/node'))?.data.toString()).toBe('over tls');
  await zk.set('/tls/node', 'changed');
  expect(await zk.getChildren('/tls')).toEqual(['node']);
  // The chroot is a real node at the root of the server.
  const root = await connect({ servers: [{ ...secure, chroot: undefined }], tls });
  expect((await root.get('/kiln-tls/tls/node'))?.data.toString()).toBe('changed');
  await zk.delete('/tls', { recursive: true });
  expect(await zk.exists('/tls')).toBeNull();
});

test('real kazoo over TLS sees a znode Kiln wrote over TLS', async () => {
  const zk = await connect({ servers: [secure], tls });
  await zk.create('/peer/check', 'written by kiln', { makeParents: true });
  expect(await kazooGet([secure], '/peer/check', tls)).toBe('written by kiln');
  expect(await kazooGet([secure], '/peer/missing', tls)).toBeNull();
  await zk.delete('/peer', { recursive: true });
});

test('a closed client refuses work', async () => {
  const zk = await connect({ servers: [secure], tls });
  await zk.exists('/');
  await zk.close();
  expect(zk.isConnected).toBe(false);
  await expect(zk.exists('/')).rejects.toMatchObject({ code: 'KILN_ZK_CLOSED' });
});

test('the tunnel listens on 127.0.0.1 per server and stops listening when closed', async () => {
  const tunnel = await startTlsTunnel([secure, { ...secure, chroot: undefined }], await readTlsFiles(tls), silentZkLogger);
  expect(tunnel.endpoints).toHaveLength(2);
  const [endpoint] = tunnel.endpoints;
  expect(endpoint?.host).toBe('127.0.0.1');
  expect(await canConnect(endpoint!.port)).toBe(true);
  await tunnel.close();
  expect(await canConnect(endpoint!.port)).toBe(false);
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

test('a client without TLS options to the secure port fails with a connect timeout naming the server', async () => {
  const err = await ZkClient.connect({ servers: [secure], connectTimeoutMs: 2000 }).catch((e: unknown) => e);
  expect(isKilnError(err, 'KILN_ZK_CONNECT_TIMEOUT')).toBe(true);
  expect((err as Error).message).toContain(`127.0.0.1:${secure.port}`);
});

test('a server certificate from another CA is refused, and the timeout says why', async () => {
  const strangers = await generateTestCerts();
  try {
    const err = await ZkClient.connect({ servers: [secure], tls: { ...tls, ca: strangers.ca }, connectTimeoutMs: 2000 }).catch(
      (e: unknown) => e,
    );
    expect(isKilnError(err, 'KILN_ZK_CONNECT_TIMEOUT')).toBe(true);
    expect((err as Error).message).toMatch(/\(TLS\).*last TLS error: TLS to 127\.0\.0\.1:\d+: .*certificate/);
  } finally {
    await strangers.cleanup();
  }
});

describe('zookeeper-tls files', () => {
  test('a partial triple is refused naming the missing keys', async () => {
    await expect(readTlsFiles({ cert: certs.clientCert })).rejects.toMatchObject({
      code: 'KILN_ZK_TLS_INVALID',
      message: expect.stringContaining('missing key, ca') as unknown as string,
    });
    await expect(ZkClient.connect({ servers: [secure], tls: { ...tls, ca: '' } })).rejects.toMatchObject({
      code: 'KILN_ZK_TLS_INVALID',
    });
  });

  test('an unreadable file is reported with its key and path', async () => {
    const missing = join(certs.dir, 'nope.pem');
    await expect(readTlsFiles({ ...tls, key: missing })).rejects.toMatchObject({
      code: 'KILN_ZK_TLS_INVALID',
      message: `zookeeper-tls.key: cannot read ${missing} (ENOENT)`,
    });
  });
});
