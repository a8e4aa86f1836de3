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
  // The failed record lives only until the next cleanup pass (50 ms later): learn its id from the
  // daemon's event rather than by polling ZooKeeper, which can miss that window on a busy machine.
  const finished: Array<{ id: string; state: string }> = [];
  builder.events.on('build:finished', (e) => finished.push({ id: e.buildId, state: e.state }));
  const [failed] = await waitFor('a failed build', () => finished.filter((b) => b.state === 'failed'));
  await waitFor('the failed build deleted', async () => (await h.store.getBuild('fake-image', failed!.id)) === null);
  await waitFor('its local files removed', async () => !(await readdir(h.imagesDir)).some((f) => f.includes(failed!.id)));
  expect(cleanups.length).toBeGreaterThan(0);
});
