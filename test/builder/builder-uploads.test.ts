/**
 * Uploads to the `local` provider (upstream test_builder.py: upload with
 * metadata, test_image_upload_fail without starvation, test_post_upload_hook),
 * the metrics endpoint, and a graceful stop in the middle of a build.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, POST_UPLOAD_HOOK, waitFor, type Harness } from './support/builder-harness.js';
import { imageBuildLockPath } from '../../src/model/paths.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

function localProvider(name: string, path: string, extra: Record<string, unknown> = {}, imageExtra: Record<string, unknown> = {}) {
  return { name, driver: 'local', path, diskimages: [{ name: 'fake-image', ...imageExtra }], ...extra };
}

async function readyUploads(provider: string) {
  const [build] = await h.store.getBuilds('fake-image', ['ready']);
  return build ? h.store.getUploads('fake-image', build.id, provider, ['ready']) : [];
}

test('a ready build is uploaded to the local provider with upstream metadata keys, and the hook runs', async () => {
  const cloud = join(h.dir, 'cloud');
  await h.writeConfig({
    diskimages: [h.diskimage('fake-image', { metadata: { owner: 'ci', level: 3 } })],
    providers: [localProvider('local-a', cloud, { 'post-upload-hook': POST_UPLOAD_HOOK }, { meta: { zone: 'a', owner: 'override' } })],
  });
  const builder = await h.start({ metricsPort: 0 });
  const [upload] = await waitFor('a ready upload', () => readyUploads('local-a'));
  expect(upload?.id).toBe('0000000001');
  expect(upload?.format).toBe('qcow2');
  expect(upload?.externalName).toMatch(/^fake-image-\d+$/);
  const sidecar = JSON.parse(await readFile(join(cloud, `${upload?.externalName}.qcow2.json`), 'utf8')) as {
    id: string;
    properties: Record<string, string>;
    md5: string;
  };
  expect(sidecar.id).toBe(upload?.externalId);
  expect(sidecar.properties).toEqual({
    owner: 'override',
    level: '3',
    zone: 'a',
    nodepool_build_id: upload?.buildId,
    nodepool_upload_id: '0000000001',
    nodepool_provider_name: 'local-a',
  });
  expect(sidecar.md5).toBe('10da41d43d4bd6d67db763616c18b72f');
  expect(await readFile(join(cloud, `${upload?.externalName}.qcow2`), 'utf8')).toBe('fake-data\n');
  // post-upload-hook: <provider> <id> <file> → <file>.post
  await readFile(join(h.imagesDir, `fake-image-${upload?.buildId}.qcow2.post`));

  // The metrics endpoint and the webapp listings.
  const metrics = await (await fetch(`${builder.metricsUrl}/metrics`)).text();
  expect(metrics).toMatch(/nodepool_dib_image_build_rc\{[^}]*image="fake-image"[^}]*\} 0/);
  expect(metrics).toMatch(/nodepool_image_update_duration_seconds_count\{[^}]*provider="local-a"[^}]*\} 1/);
  expect(metrics).toMatch(/nodepool_builder_build_workers\{[^}]*\} 1/);
  const health = await fetch(`${builder.metricsUrl}/health`);
  expect(health.status).toBe(200);
  const list = (await (await fetch(`${builder.metricsUrl}/image-list`, { headers: { Accept: 'application/json' } })).json()) as Array<Record<string, unknown>>;
  expect(list).toEqual([expect.objectContaining({ provider: 'local-a', image: 'fake-image', upload_id: '0000000001', state: 'ready' })]);
  const dib = (await (await fetch(`${builder.metricsUrl}/dib-image-list`, { headers: { Accept: 'application/json' } })).json()) as Array<Record<string, unknown>>;
  expect(dib).toEqual([expect.objectContaining({ id: `fake-image-${upload?.buildId}`, formats: ['qcow2'], state: 'ready' })]);
});

test('a failing provider does not starve the other; it gets a failed record per attempt and succeeds once fixed', async () => {
  const good = join(h.dir, 'cloud-good');
  const blocker = join(h.dir, 'blocker');
  await writeFile(blocker, 'a file where the cloud directory should be');
  await h.writeConfig({
    diskimages: [h.diskimage('fake-image')],
    providers: [localProvider('bad', join(blocker, 'cloud')), localProvider('good', good)],
  });
  await h.start({ uploadWorkers: 1 });
  await waitFor('the good provider uploaded', () => readyUploads('good'));
  const [build] = await h.store.getBuilds('fake-image', ['ready']);
  const failed = await waitFor('failed attempts on the bad provider', async () => {
    const list = await h.store.getUploads('fake-image', build!.id, 'bad', ['failed']);
    return list.length >= 2 ? list : null;
  });
  expect(new Set(failed.map((u) => u.id)).size).toBe(failed.length);
  // Fix the cloud: the next attempt succeeds.
  await rm(blocker);
  await mkdir(join(blocker, 'cloud'), { recursive: true });
  await waitFor('the bad provider fixed', () => readyUploads('bad'), 10000);
});

test('a graceful stop mid-build records the build failed, kills it and releases the lock', async () => {
  await mkdir(h.imagesDir, { recursive: true });
  await writeFile(join(h.imagesDir, 'fake-image-create.pause'), '');
  await h.writeConfig({ diskimages: [h.diskimage('fake-image')] });
  const builder = await h.start();
  const building = await waitFor('a building record', async () => (await h.store.getBuilds('fake-image', ['building']))[0]);
  await builder.stop();
  expect((await h.store.getBuild('fake-image', building.id))?.state).toBe('failed');
  expect(await h.t.zk.getChildren(imageBuildLockPath('fake-image'))).toEqual([]);
  expect(await h.t.zk.getChildren('/nodepool/components/builder')).toEqual([]);
  const log = await readFile(join(h.logDir, `fake-image-${building.id}.log`), 'utf8');
  expect(log).toContain('Build cancelled');
  // No leftover fake-image-create process of this test.
  const procs = await readdir('/proc');
  const leftovers: string[] = [];
  for (const pid of procs.filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('fake-image-create') && cmdline.includes(h.imagesDir)) leftovers.push(pid);
  }
  expect(leftovers).toEqual([]);
});
