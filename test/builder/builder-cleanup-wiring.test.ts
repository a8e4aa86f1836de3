/**
 * The daemon runs the cleanup pass (src/builder/cleanup) on its timer and
 * after builds: a failed build (rc 127, files left behind as upstream's fake
 * dib-cmd does) is deleted from ZooKeeper and its local files removed
 * (upstream test_cleanup_failed_image_build).
 */
import { readdir } from 'node:fs/promises';
import { createHarness, FAKE_ENV_VARS, waitFor, type Harness } from './support/builder-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

test('a failed build is cleaned up by the daemon’s cleanup cycle', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('fake-image', { 'env-vars': { ...FAKE_ENV_VARS, SHOULD_FAIL: 'true' } })] });
  const builder = await h.start({ cleanupIntervalSeconds: 0.5, cleanupCycle: undefined, cleanupDueDelayMs: 50 });
  const cleanups: unknown[] = [];
  builder.events.on('cleanup:finished', (e) => cleanups.push(e.report));
  const [failed] = await waitFor('a failed build', () => h.store.getBuilds('fake-image', ['failed']));
  await waitFor('the failed build deleted', async () => (await h.store.getBuild('fake-image', failed!.id)) === null);
  await waitFor('its local files removed', async () => !(await readdir(h.imagesDir)).some((f) => f.includes(failed!.id)));
  expect(cleanups.length).toBeGreaterThan(0);
});
