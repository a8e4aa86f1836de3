/**
 * ZooKeeper session expiry in the middle of a build (upstream
 * test_session_loss_during_build): the image build lock is lost, so the build
 * is cancelled, recorded failed and its local files removed; the builder
 * re-registers its component and keeps working in the new session.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import { forceSessionExpiry } from '../support/zk-fixture.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

test('a session expiry mid-build fails the build and removes its files', async () => {
  await mkdir(h.imagesDir, { recursive: true });
  await writeFile(join(h.imagesDir, 'fake-image-create.pause'), '');
  await h.writeConfig({ diskimages: [h.diskimage('fake-image')] });
  const builder = await h.start();
  const building = await waitFor('a building record', async () => (await h.store.getBuilds('fake-image', ['building']))[0]);
  const finished = new Promise<{ lockLost: boolean; state: string }>((resolve) => builder.events.once('build:finished', resolve));
  await forceSessionExpiry(builder.zk);
  const event = await finished;
  expect(event).toMatchObject({ lockLost: true, state: 'failed' });
  expect((await h.store.getBuild('fake-image', building.id))?.state).toBe('failed');
  expect((await readdir(h.imagesDir)).filter((f) => f.includes(building.id))).toEqual([]);
  await waitFor('component re-registered', async () => ((await h.t.zk.getChildren('/nodepool/components/builder')) ?? []).length === 1);
});
