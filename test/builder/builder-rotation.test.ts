/**
 * Upstream test_image_rebuild_age and test_image_rotation through the daemon
 * (scheduler + cleanup): aging the ready build's state_time past rebuild-age
 * starts a second build (both ready, a log per build); aging that one too
 * starts a third, after which cleanup deletes the first (2 ready remain, its
 * files go) and build-log-retention 1 has removed the oldest log.
 */
import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import type { ImageBuild } from '../../src/model/types.js';
import { nowSeconds } from '../../src/model/record-state.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const REBUILD_AGE = 86400;

/** Rewrites a build's state_time as if it had become ready `seconds` ago. */
async function age(build: ImageBuild, seconds: number): Promise<void> {
  const { image, id, ctimeMs: _ctime, ...data } = build;
  await h.store.storeBuild(image, { ...data, stateTime: nowSeconds() - seconds }, id);
}

async function readyIds(): Promise<string[]> {
  return (await h.store.getBuilds('fake-image', ['ready'])).map((b) => b.id).sort();
}

test('rebuild-age triggers a new build; a third build rotates the first out; log retention 1 prunes the oldest log', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('fake-image', { 'rebuild-age': REBUILD_AGE })], 'build-log-retention': 1 });
  await h.start({ cleanupIntervalSeconds: 0.3, cleanupCycle: undefined, cleanupDueDelayMs: 50 });

  const [first] = await waitFor('build 1 ready', () => h.store.getBuilds('fake-image', ['ready']));
  await age(first!, REBUILD_AGE + 100);
  const second = await waitFor('build 2 ready', async () => (await h.store.getBuilds('fake-image', ['ready'])).find((b) => b.id !== first!.id));
  // rebuild_age: both builds ready, a log for each.
  expect(await readyIds()).toEqual([first!.id, second.id].sort());
  await access(join(h.logDir, `fake-image-${second.id}.log`));

  // rotation: age build 2 (still newer than build 1) → build 3, and cleanup deletes build 1.
  await age(second, REBUILD_AGE + 10);
  const third = await waitFor('build 3 ready', async () =>
    (await h.store.getBuilds('fake-image', ['ready'])).find((b) => b.id !== first!.id && b.id !== second.id),
  );
  await waitFor('build 1 deleted', async () => (await h.store.getBuild('fake-image', first!.id)) === null);
  expect(await readyIds()).toEqual([second.id, third.id].sort());
  expect((await h.store.getBuildIds('fake-image')).sort()).toEqual([second.id, third.id].sort());
  await waitFor('build 1 files removed', async () => !(await readdir(h.imagesDir)).some((f) => f.includes(first!.id)));
  await access(join(h.imagesDir, `fake-image-${second.id}.qcow2`));
  await access(join(h.imagesDir, `fake-image-${third.id}.qcow2`));
  // Retention 1: before build 3 only the newest log (build 2's) was kept.
  expect((await readdir(h.logDir)).sort()).toEqual([`fake-image-${second.id}.log`, `fake-image-${third.id}.log`].sort());
});
