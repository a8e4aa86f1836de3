/**
 * A builder against a 3-node ZooKeeper ensemble that loses its leader while a
 * build runs (the fake dib-cmd held on its pause file). The session survives
 * a leader change when the election ends within the session timeout: the
 * build then finishes ready under the same lock. If the session was lost
 * after all, the build must be recorded failed with its files removed and a
 * clean rebuild must follow. Either way: one ready build, no lock left held,
 * the component registered, and every server started here is stopped.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import { startEnsemble, type ZkEnsemble } from './support/zk-ensemble.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import { ImageStore } from '../../src/model/image-store.js';
import { imageBuildLockPath } from '../../src/model/paths.js';

let h: Harness;
let ensemble: ZkEnsemble | undefined;
let observer: ZkClient | undefined;
beforeEach(async () => {
  h = await createHarness();
  ensemble = undefined;
  observer = undefined;
});
afterEach(async () => {
  // Builders first (they unregister while a quorum still serves), then our client, then the servers.
  await h.cleanup();
  await observer?.close().catch(() => undefined);
  await ensemble?.stop();
});

test('the leader of a 3-node ensemble dies mid-build: the build ends in a clean state and the image is ready', async () => {
  ensemble = await startEnsemble(3);
  const servers = ensemble.servers.map((s) => ({ ...s, chroot: '/kiln-ensemble' }));
  observer = await ZkClient.connect({ servers, timeoutSeconds: 20, connectTimeoutMs: 30000, operationTimeoutMs: 30000 });
  const store = new ImageStore(observer);

  const pauseFile = join(h.imagesDir, 'fake-image-create.pause');
  await mkdir(h.imagesDir, { recursive: true });
  await writeFile(pauseFile, '');
  await h.writeConfig({ diskimages: [h.diskimage('fake-image')], 'zookeeper-servers': servers, 'zookeeper-timeout': 20 });
  const builder = await h.start();
  const finished: Array<{ buildId: string; state: string; lockLost: boolean }> = [];
  builder.events.on('build:finished', (e) => finished.push(e));

  const building = await waitFor('a building record', async () => (await store.getBuilds('fake-image', ['building']))[0], 30000);
  const leader = await ensemble.leader();
  await ensemble.kill(leader);
  await ensemble.leader(60000, ensemble.nodes.filter((n) => n !== leader));
  await rm(pauseFile);

  await waitFor('the first build finished', () => finished.length > 0, 60000);
  const first = finished[0]!;
  expect(first.buildId).toBe(building.id);
  if (first.state === 'ready') {
    // The session survived the leader change: same build, same lock, ready.
    expect(first.lockLost).toBe(false);
    expect(await store.getBuild('fake-image', building.id)).toMatchObject({ state: 'ready', formats: ['qcow2'] });
  } else {
    // The session was lost: recorded failed, files removed, then rebuilt cleanly.
    expect(first).toMatchObject({ state: 'failed', lockLost: true });
    expect((await readdir(h.imagesDir)).filter((f) => f.includes(building.id))).toEqual([]);
    await store.submitBuildRequest('fake-image'); // a manual request bypasses the failure backoff
  }
  const [ready] = await waitFor('a ready build', () => store.getBuilds('fake-image', ['ready']), 60000);
  expect(ready?.builderId).toBe(builder.builderId);
  await waitFor('the build job gone', () => builder.running().builds.length === 0, 30000);
  expect(await observer.getChildren(imageBuildLockPath('fake-image'))).toEqual([]);
  expect(await store.getBuilds('fake-image', ['building'])).toEqual([]);
  await waitFor('the component registered', async () => ((await observer!.getChildren('/nodepool/components/builder')) ?? []).length === 1);
}, 180_000);
