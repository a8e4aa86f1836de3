/**
 * The daemon's core scenarios with the fake dib-cmd (upstream test_builder.py:
 * test_builder_id_file, test_start_stop, scheduled build, request-build, pause,
 * failed build, build timeout).
 */
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import { imageBuildLockPath, imageBuildRequestPath } from '../../src/model/paths.js';
import { readBackoff } from '../../src/builder/backoff.js';
import { isKilnError } from '../../src/errors/kiln-error.js';
import { startBuilder } from '../../src/builder/builder-daemon.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function readyBuilds(image: string) {
  return h.store.getBuilds(image, ['ready']);
}

test('builder_id.txt is created with a uuid4 and reused; the component registers and goes on stop', async () => {
  await h.writeConfig({ diskimages: [] });
  const first = await h.start();
  const id = (await readFile(join(h.imagesDir, 'builder_id.txt'), 'utf8')).trim();
  expect(id).toMatch(UUID4);
  expect(first.builderId).toBe(id);
  const components = await h.t.zk.getChildren('/nodepool/components/builder');
  expect(components).toHaveLength(1);
  expect(components?.[0]).toMatch(/^nb-test\d{10}$/);
  await first.stop();
  expect(await h.t.zk.getChildren('/nodepool/components/builder')).toEqual([]);
  const second = await h.start();
  expect(second.builderId).toBe(id);
});

test('refuses to start without images-dir', async () => {
  await writeFile(h.configPath, `zookeeper-servers:\n  - host: 127.0.0.1\n    port: ${h.t.servers[0]?.port}\n    chroot: ${h.t.chroot}\n`);
  const err = await startBuilder({ configPath: h.configPath, cleanupCycle: null }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isKilnError(err, 'KILN_BUILDER_NO_IMAGES_DIR')).toBe(true);
  expect((err as Error).message).toBe('No images-dir specified in config.');
});

test('a scheduled build becomes ready with its formats, files and a log ending with the exit code', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('fake-image', { formats: ['qcow2', 'raw'] })] });
  const builder = await h.start();
  const [build] = await waitFor('a ready build', () => readyBuilds('fake-image'));
  expect(build?.formats).toEqual(['qcow2', 'raw']);
  expect(build?.builder).toBe('nb-test');
  expect(build?.builderId).toBe(builder.builderId);
  const base = join(h.imagesDir, `fake-image-${build?.id}`);
  for (const ext of ['qcow2', 'raw', 'qcow2.md5', 'qcow2.sha256']) await access(`${base}.${ext}`);
  const log = await readFile(join(h.logDir, `fake-image-${build?.id}.log`), 'utf8');
  expect(log).toContain('qemu-img option: compat=0.10');
  expect(log.trimEnd().endsWith('Exit code: 0')).toBe(true);
  // Up to date now: no second build.
  await new Promise((r) => setTimeout(r, 500));
  expect(await h.store.getBuildIds('fake-image')).toHaveLength(1);
});

test('request-build triggers a build and is removed only once it is ready', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('fake-image')] });
  const builder = await h.start();
  await waitFor('first build', () => readyBuilds('fake-image'));
  await writeFile(join(h.imagesDir, 'fake-image-create.pause'), '');
  await h.store.submitBuildRequest('fake-image');
  const started = await waitFor('a building record', async () => (await h.store.getBuilds('fake-image', ['building']))[0]);
  // While building, the request stays.
  expect(await h.t.zk.exists(imageBuildRequestPath('fake-image'))).not.toBeNull();
  await rm(join(h.imagesDir, 'fake-image-create.pause'));
  await waitFor('the requested build ready', async () => (await h.store.getBuild('fake-image', started.id))?.state === 'ready');
  await waitFor('request removed', async () => (await h.t.zk.exists(imageBuildRequestPath('fake-image'))) === null);
  await waitFor('the build job gone', () => builder.running().builds.length === 0);
  expect(await h.store.getBuilds('fake-image', ['ready'])).toHaveLength(2);
});

test('a paused image (ZooKeeper pause node or config pause) is not built', async () => {
  await h.store.pauseImage('zk-paused');
  await h.writeConfig({
    diskimages: [h.diskimage('zk-paused'), h.diskimage('cfg-paused', { pause: true }), h.diskimage('normal')],
  });
  await h.start();
  await waitFor('the unpaused image built', () => readyBuilds('normal'));
  await h.store.submitBuildRequest('zk-paused');
  await new Promise((r) => setTimeout(r, 700));
  expect(await h.store.getBuildIds('zk-paused')).toEqual([]);
  expect(await h.store.getBuildIds('cfg-paused')).toEqual([]);
  // Unpausing builds it at once (pause node watch).
  await h.store.unpauseImage('zk-paused');
  await waitFor('built after unpause', () => readyBuilds('zk-paused'));
});

test('a failed build is recorded failed without formats, keeps its files for cleanup, and backs off', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('fake-image', { 'env-vars': { ...h.diskimage('x')['env-vars'] as object, SHOULD_FAIL: 'true' } })] });
  await h.start();
  const [failed] = await waitFor('a failed build', () => h.store.getBuilds('fake-image', ['failed']));
  expect(failed?.formats).toEqual([]);
  const log = await readFile(join(h.logDir, `fake-image-${failed?.id}.log`), 'utf8');
  expect(log.trimEnd().endsWith('Exit code: 127')).toBe(true);
  const backoff = await waitFor('backoff recorded', () => readBackoff(h.t.zk, 'fake-image'));
  expect(backoff.failures).toBe(1);
  expect(backoff.until).toBeGreaterThan(backoff.lastFailure);
  // Backing off: no immediate rebuild (upstream would rebuild every 10 s).
  await new Promise((r) => setTimeout(r, 800));
  expect(await h.store.getBuildIds('fake-image')).toHaveLength(1);
  expect(await h.t.zk.getChildren(imageBuildLockPath('fake-image'))).toEqual([]);
});

test('build-timeout fails the build and kills the whole process group', async () => {
  const pidFile = join(h.dir, 'child.pid');
  await mkdir(h.imagesDir, { recursive: true });
  await writeFile(join(h.imagesDir, 'fake-image-create.pause'), '');
  await h.writeConfig({
    diskimages: [
      h.diskimage('fake-image', { 'build-timeout': 1, 'env-vars': { ...(h.diskimage('x')['env-vars'] as object), FAKE_IMAGE_CREATE_CHILD_PIDFILE: pidFile } }),
    ],
  });
  await h.start();
  const [failed] = await waitFor('a failed build', () => h.store.getBuilds('fake-image', ['failed']));
  const childPid = Number((await readFile(pidFile, 'utf8')).trim());
  expect(childPid).toBeGreaterThan(0);
  await waitFor('the background child killed', () => {
    try {
      process.kill(childPid, 0);
      return false;
    } catch {
      return true;
    }
  }, 5000);
  const log = await readFile(join(h.logDir, `fake-image-${failed?.id}.log`), 'utf8');
  expect(log).toContain('Build timeout');
  expect(log.trimEnd().endsWith('Exit code: 1')).toBe(true);
});

test('builder affinity: an image with builder-labels is built only by a builder with one of them', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('arm-image', { 'builder-labels': ['arm64'] }), h.diskimage('any-image')] });
  await h.start({ labels: ['x86'] });
  await waitFor('the unlabelled image built', async () => (await h.store.getBuilds('any-image', ['ready'])).length > 0);
  await new Promise((r) => setTimeout(r, 500));
  expect(await h.store.getBuildIds('arm-image')).toEqual([]);
});

test('the config is re-read when it changes: a new diskimage is built', async () => {
  await h.writeConfig({ diskimages: [h.diskimage('first')] });
  const builder = await h.start();
  await waitFor('first built', async () => (await h.store.getBuilds('first', ['ready'])).length > 0);
  const reloaded = new Promise((r) => builder.events.once('config:reloaded', r));
  await h.writeConfig({ diskimages: [h.diskimage('first'), h.diskimage('second')] });
  await reloaded;
  await waitFor('second built', async () => (await h.store.getBuilds('second', ['ready'])).length > 0);
  expect(builder.config().diskimages.has('second')).toBe(true);
});
