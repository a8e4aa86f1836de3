/**
 * Two builders on one ZooKeeper chroot (in-process, each with its own
 * images-dir and config): an image is built once, not once per builder, and
 * only the builder holding the files uploads it (nodepool-compat.md 7); and
 * upstream test_image_removal_two_builders: a builder whose providers do not
 * use an image must not delete another builder's fresh, not-yet-uploaded
 * build of it.
 */
import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import type { BuilderHandle } from '../../src/builder/builder-daemon.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

/** A second builder's config: same ZooKeeper chroot, its own images-dir (under the test's temp dir). */
async function secondConfig(name: string, doc: Record<string, unknown>): Promise<{ configPath: string; imagesDir: string }> {
  const imagesDir = join(h.dir, `${name}-images`);
  const configPath = join(h.dir, `${name}.yaml`);
  await writeFile(configPath, stringify({ 'images-dir': imagesDir, 'build-log-dir': join(h.dir, `${name}-logs`), 'zookeeper-servers': h.t.servers, ...doc }));
  return { configPath, imagesDir };
}

function localProvider(name: string, images: Array<Record<string, unknown>>) {
  return { name, driver: 'local', path: join(h.dir, `cloud-${name}`), diskimages: images };
}

async function localFilesOf(imagesDir: string, buildId: string): Promise<string[]> {
  return (await readdir(imagesDir).catch(() => [] as string[])).filter((f) => f.includes(buildId));
}

test('two builders: the image is built once, and uploaded by the builder holding its files', async () => {
  const doc = { diskimages: [h.diskimage('fake-image')], providers: [localProvider('cloud', [{ name: 'fake-image' }])] };
  await h.writeConfig(doc);
  const other = await secondConfig('b', doc);
  const started: string[] = [];
  const uploads: string[] = [];
  const watch = (who: string, b: BuilderHandle): void => {
    b.events.on('build:started', () => started.push(who));
    b.events.on('upload:started', () => uploads.push(who));
  };
  const [a, b] = await Promise.all([h.start({ hostname: 'nb-a' }), h.start({ configPath: other.configPath, hostname: 'nb-b' })]);
  watch('a', a);
  watch('b', b);

  const [build] = await waitFor('a ready build', () => h.store.getBuilds('fake-image', ['ready']));
  const [upload] = await waitFor('a ready upload', () => h.store.getUploads('fake-image', build!.id, 'cloud', ['ready']));
  // Both builders have since re-checked (their passes run on every build-record change): still one build.
  await waitFor('both builders idle', () => a.running().builds.length === 0 && b.running().builds.length === 0 && a.running().uploads.length === 0 && b.running().uploads.length === 0);
  await new Promise((r) => setTimeout(r, 500));
  expect(await h.store.getBuildIds('fake-image')).toEqual([build!.id]);
  expect(started).toHaveLength(1);

  const [owner, ownerDir, otherDir] = build!.builderId === a.builderId ? ['a', h.imagesDir, other.imagesDir] : ['b', other.imagesDir, h.imagesDir];
  expect(build!.builderId).toBe(owner === 'a' ? a.builderId : b.builderId);
  expect(started).toEqual([owner]);
  await access(join(ownerDir, `fake-image-${build!.id}.qcow2`));
  expect(await localFilesOf(otherDir, build!.id)).toEqual([]);
  // The upload was made by the owner of the files, once.
  expect(uploads).toEqual([owner]);
  expect(await h.store.getUploads('fake-image', build!.id, 'cloud')).toEqual([expect.objectContaining({ id: upload!.id, state: 'ready' })]);
});

test('a builder whose providers do not use an image does not delete the other builder’s fresh, not-uploaded build of it', async () => {
  // Both builders list both diskimages (as every builder must); image2 is
  // built by B only (builder affinity), so A's images-dir holds image1 only.
  const diskimages = [h.diskimage('image1'), h.diskimage('image2', { 'builder-labels': ['b'] })];
  // Builder A builds image1; its upload is paused, so the build stays ready and not uploaded.
  await h.writeConfig({ diskimages, providers: [localProvider('provider-a', [{ name: 'image1', pause: true }])] });
  const a = await h.start({ hostname: 'nb-a', labels: ['a'] });
  const [build1] = await waitFor('image1 ready', () => h.store.getBuilds('image1', ['ready']));

  // Builder B: its provider uses image2 only.
  const other = await secondConfig('b', { diskimages, providers: [localProvider('provider-b', [{ name: 'image2' }])] });
  const b = await h.start({ configPath: other.configPath, hostname: 'nb-b', labels: ['b'], cleanupIntervalSeconds: 0.3, cleanupCycle: undefined, cleanupDueDelayMs: 50 });
  let cycles = 0;
  b.events.on('cleanup:finished', () => cycles++);
  const [build2] = await waitFor('image2 ready', () => h.store.getBuilds('image2', ['ready']));
  await waitFor('image2 uploaded by B', () => h.store.getUploads('image2', build2!.id, 'provider-b', ['ready']));
  const seen = cycles;
  await waitFor('B ran more cleanup cycles', () => cycles >= seen + 3, 15000);

  // image1's build survives B's cleanup, with A's files.
  expect(await h.store.getBuild('image1', build1!.id)).toMatchObject({ state: 'ready', builderId: a.builderId });
  await access(join(h.imagesDir, `image1-${build1!.id}.qcow2`));
  expect(await h.store.getBuildIds('image1')).toEqual([build1!.id]);
  // B neither built image1 nor holds files of it.
  expect((await readdir(other.imagesDir)).filter((f) => f.startsWith('image1-'))).toEqual([]);
  expect(build2!.builderId).toBe(b.builderId);
});
