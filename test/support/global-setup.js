// Starts one real ZooKeeper for the whole run (each test isolates itself in its
// own chroot, see zk-fixture.ts). Jest loads this file outside its module
// mapper, so it uses the compiled code in dist/ (deploy/run-tests.sh builds first).
// The address reaches the test workers through KILN_TEST_ZK_PORT.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper } from '../../dist/zk/zookeeper-server.js';
import { freePort } from '../../dist/util/free-port.js';

export default async function globalSetup() {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-test-zk-'));
  const clientPort = await freePort();
  globalThis.__KILN_TEST_ZK__ = await startZooKeeper({ dir, clientPort });
  process.env.KILN_TEST_ZK_PORT = String(clientPort);
}
