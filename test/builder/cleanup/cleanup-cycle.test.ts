/**
 * runCleanupCycle against a real ZooKeeper chroot, a temp images-dir with
 * fake DIB output, and a recording ImageProvider.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createTestZk, type TestZk } from '../../support/zk-fixture.js';
import { ImageStore } from '../../../src/model/image-store.js';
import { ZkLock } from '../../../src/zk/lock.js';
import { runCleanupCycle, type CleanupDeps } from '../../../src/builder/cleanup/cleanup-cycle.js';
import { takeCleanupSnapshot } from '../../../src/builder/cleanup/cleanup-snapshot.js';
import { planCleanup } from '../../../src/builder/cleanup/plan-cleanup.js';
import { applyCleanupActions } from '../../../src/builder/cleanup/apply-cleanup-actions.js';
import { imageBuildNumberLockPath, imageUploadLockPath, imageUploadNumberLockPath } from '../../../src/model/paths.js';
import { RecordingProvider, nodepoolConfig, provider, seedBuild, seedUpload, writeLocalBuild } from './cycle-fixtures.js';

const ME = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const IMAGE = 'fake-image';

let t: TestZk;
let store: ImageStore;
let imagesDir: string;
let cloud: RecordingProvider;

beforeEach(async () => {
  t = await createTestZk();
  store = new ImageStore(t.zk);
  imagesDir = await mkdtemp(join(tmpdir(), 'kiln-cleanup-'));
  cloud = new RecordingProvider('fake-provider');
});

afterEach(async () => {
  await t?.cleanup();
  if (imagesDir) await rm(imagesDir, { recursive: true, force: true });
});

function deps(more: Partial<CleanupDeps> = {}): CleanupDeps {
  return {
    store,
    zk: t.zk,
    config: nodepoolConfig(imagesDir, [IMAGE], [provider('fake-provider', [IMAGE])]),
    builderId: ME,
    imagesDir,
    providers: new Map([['fake-provider', cloud]]),
    logger: pino({ level: 'silent' }),
    ...more,
  };
}

/** Another ZooKeeper session (another builder) holding a lock until the test ends. */
async function holdLock(path: string): Promise<ZkLock> {
  const other = await t.connectAnother();
  const lock = new ZkLock(other, path);
  await lock.acquire({ blocking: false });
  return lock;
}

async function seedRotation(): Promise<{ builds: string[]; externalIds: string[] }> {
  const builds: string[] = [];
  const externalIds: string[] = [];
  for (const [i, time] of [1000, 2000, 3000].entries()) {
    const id = await seedBuild(store, IMAGE, 'ready', time, ME);
    await seedUpload(store, IMAGE, id, 'fake-provider', 'ready', time + 100, `glance-${i + 1}`);
    await writeLocalBuild(imagesDir, IMAGE, id);
    builds.push(id);
    externalIds.push(`glance-${i + 1}`);
  }
  return { builds, externalIds };
}

async function localFiles(dir = imagesDir): Promise<string[]> {
  return (await readdir(dir)).sort();
}

test('rotation end to end: the third build deletes the first (cloud by id, records, local files), then nothing is left to do', async () => {
  const { builds, externalIds } = await seedRotation();
  const report = await runCleanupCycle(deps());

  expect(report.failed).toEqual([]);
  expect(cloud.deleted).toEqual([externalIds[0]]);
  expect((await store.getBuildIds(IMAGE)).sort()).toEqual([builds[1], builds[2]].sort());
  const files = await localFiles();
  expect(files.some((f) => f.includes(builds[0]!))).toBe(false);
  expect(files.filter((f) => f.includes(builds[1]!))).toHaveLength(3); // .qcow2, .qcow2.md5, .d
  expect(files.filter((f) => f.includes(builds[2]!))).toHaveLength(3);

  const again = await runCleanupCycle(deps());
  expect(again.actions).toEqual([]);
});

test('test_upload_removal_retries_until_success: the record stays deleting until the cloud delete works; local files go at once', async () => {
  const { builds, externalIds } = await seedRotation();
  cloud.failNextDeletes(2);
  const [uploadId] = await store.getImageUploadNumbers(IMAGE, builds[0]!, 'fake-provider');

  for (let cycle = 1; cycle <= 2; cycle++) {
    const report = await runCleanupCycle(deps());
    expect(report.failed.map((f) => f.action.type)).toEqual(['delete-cloud-image-and-record']);
    expect(report.failed[0]!.error).toContain('retried next cycle');
    expect((await store.getImageUpload(IMAGE, builds[0]!, 'fake-provider', uploadId!))?.state).toBe('deleting');
    // test_image_removal_dib_deletes_first: every upload deleting ⇒ build deleting ⇒ local files removed already.
    expect((await store.getBuild(IMAGE, builds[0]!))?.state).toBe('deleting');
    expect((await localFiles()).some((f) => f.includes(builds[0]!))).toBe(false);
  }

  const report = await runCleanupCycle(deps());
  expect(report.failed).toEqual([]);
  expect(cloud.attempts).toEqual([externalIds[0], externalIds[0], externalIds[0]]);
  expect(cloud.deleted).toEqual([externalIds[0]]);
  expect(await store.getBuild(IMAGE, builds[0]!)).toBeNull();
});

test('test_cleanup_hard_upload_fails: a dead uploading record goes from ZooKeeper only; a live one stays', async () => {
  const id = await seedBuild(store, IMAGE, 'ready', 1000, ME);
  const dead = await seedUpload(store, IMAGE, id, 'fake-provider', 'uploading', 1100, null);
  const report = await runCleanupCycle(deps());
  expect(report.actions.map((a) => a.type)).toEqual(['delete-upload-record']);
  expect(report.applied).toBe(1);
  expect(await store.getImageUpload(IMAGE, id, 'fake-provider', dead)).toBeNull();
  expect(cloud.attempts).toEqual([]);

  const live = await seedUpload(store, IMAGE, id, 'fake-provider', 'uploading', 1200, null);
  await holdLock(imageUploadLockPath(IMAGE, id, 'fake-provider'));
  const second = await runCleanupCycle(deps());
  expect(second.actions).toEqual([]);
  expect((await store.getImageUpload(IMAGE, id, 'fake-provider', live))?.state).toBe('uploading');
});

test('a lock taken by another client between plan and apply makes the applier skip, leaving the record as it was', async () => {
  const { builds } = await seedRotation();
  const [uploadId] = await store.getImageUploadNumbers(IMAGE, builds[0]!, 'fake-provider');
  const input = await takeCleanupSnapshot(deps());
  const actions = planCleanup(input);
  expect(actions.map((a) => a.type)).toEqual(['mark-upload-deleting', 'delete-cloud-image-and-record', 'mark-build-deleting', 'delete-build-record', 'delete-local-build']);

  const lock = await holdLock(imageUploadNumberLockPath(IMAGE, builds[0]!, 'fake-provider', uploadId!));
  const report = await applyCleanupActions({ ...deps(), logger: pino({ level: 'silent' }) }, actions);
  expect(report.failed).toEqual([]);
  expect(report.applied).toBe(0);
  expect(report.skipped.map((s) => [s.action.type, s.why])).toEqual([
    ['mark-upload-deleting', 'upload-number lock is held'],
    ['delete-cloud-image-and-record', 'record is ready, not deleting'],
    ['mark-build-deleting', '1 upload(s) are not deleting'],
    ['delete-build-record', 'build is ready, not deleting'],
    ['delete-local-build', 'build is ready in ZooKeeper'],
  ]);
  expect((await store.getImageUpload(IMAGE, builds[0]!, 'fake-provider', uploadId!))?.state).toBe('ready');
  expect(cloud.attempts).toEqual([]);
  expect((await localFiles()).filter((f) => f.includes(builds[0]!))).toHaveLength(3);

  await lock.release();
  const after = await runCleanupCycle(deps());
  expect(after.failed).toEqual([]);
  expect(await store.getBuild(IMAGE, builds[0]!)).toBeNull();
});

test('a build whose build-id lock another client holds is not marked nor deleted', async () => {
  await seedBuild(store, IMAGE, 'ready', 2000, ME);
  const failed = await seedBuild(store, IMAGE, 'failed', 1000, ME);
  await writeLocalBuild(imagesDir, IMAGE, failed);
  await holdLock(imageBuildNumberLockPath(IMAGE, failed));
  const report = await runCleanupCycle(deps());
  expect(report.actions).toEqual([]);
  expect((await store.getBuild(IMAGE, failed))?.state).toBe('failed');
  expect((await localFiles()).filter((f) => f.includes(failed))).toHaveLength(3);
});

test('a dead building record is removed, but not while another client holds the image build lock or this daemon builds it', async () => {
  await seedBuild(store, IMAGE, 'ready', 1000, ME);
  const building = await seedBuild(store, IMAGE, 'building', 2000, ME);
  await writeLocalBuild(imagesDir, IMAGE, building);

  const running = await runCleanupCycle(deps({ isBuildRunningLocally: (image, id) => image === IMAGE && id === building }));
  expect(running.actions).toEqual([]);

  const lock = await holdLock(`/nodepool/images/${IMAGE}/builds/lock`);
  const locked = await runCleanupCycle(deps());
  expect(locked.actions).toEqual([]);
  expect((await store.getBuild(IMAGE, building))?.state).toBe('building');
  await lock.release();

  const report = await runCleanupCycle(deps());
  expect(report.failed).toEqual([]);
  expect(report.actions.map((a) => a.type)).toEqual(['mark-build-deleting', 'delete-build-record', 'delete-local-build']);
  expect(await store.getBuild(IMAGE, building)).toBeNull();
  expect((await localFiles()).some((f) => f.includes(building))).toBe(false);
});

test("another builder's local files are untouched; this builder's own leftovers go", async () => {
  const theirDir = await mkdtemp(join(tmpdir(), 'kiln-cleanup-other-'));
  try {
    await seedBuild(store, IMAGE, 'ready', 3000, ME);
    // Their build is deleting but keeps a record (an upload to a cloud only they know is still being deleted).
    const theirs = await seedBuild(store, IMAGE, 'deleting', 1000, OTHER);
    await seedUpload(store, IMAGE, theirs, 'their-cloud', 'deleting', 1100, 'their-glance-id');
    await writeLocalBuild(theirDir, IMAGE, theirs);
    // The same build's files in our directory (a shared images-dir): still theirs by builder_id.
    await writeLocalBuild(imagesDir, IMAGE, theirs);
    // Our own leftover: its record was deleted by another builder while we were offline.
    const leftover = 'abcdef0123456789abcdef0123456789';
    await writeLocalBuild(imagesDir, IMAGE, leftover);

    const report = await runCleanupCycle(deps());
    expect(report.failed).toEqual([]);
    expect(report.actions.map((a) => a.type)).toEqual(['delete-local-build']);
    expect(cloud.attempts).toEqual([]);
    expect((await localFiles()).some((f) => f.includes(leftover))).toBe(false);
    expect((await localFiles()).filter((f) => f.includes(theirs))).toHaveLength(3);
    expect(await localFiles(theirDir)).toHaveLength(3);
    expect((await store.getBuild(IMAGE, theirs))?.state).toBe('deleting');
  } finally {
    await rm(theirDir, { recursive: true, force: true });
  }
});

test('empty-ZooKeeper guard: a builder pointed at an empty tree keeps its local images', async () => {
  await writeLocalBuild(imagesDir, IMAGE, 'aaaa0001');
  await writeLocalBuild(imagesDir, IMAGE, 'aaaa0002');
  const report = await runCleanupCycle(deps());
  expect(report.actions.map((a) => a.type)).toEqual(['refuse-local-gc']);
  expect(report.skipped).toHaveLength(1);
  expect(await localFiles()).toHaveLength(6);
});

test('delete-after-upload: formats no provider still needs are pruned, keep-formats and checksums handled, .d kept', async () => {
  const config = nodepoolConfig(imagesDir, [IMAGE], [provider('fake-provider', [IMAGE])]);
  const image = config.diskimages.get(IMAGE)!;
  image.deleteAfterUpload = true;
  image.keepFormats = ['vhd'];
  const id = await seedBuild(store, IMAGE, 'ready', 1000, ME);
  await seedUpload(store, IMAGE, id, 'fake-provider', 'ready', 1100, 'glance-1');
  await writeLocalBuild(imagesDir, IMAGE, id, ['qcow2', 'raw', 'vhd']);
  const report = await runCleanupCycle(deps({ config }));
  expect(report.failed).toEqual([]);
  expect(report.actions.map((a) => a.type)).toEqual(['prune-local-formats']);
  expect(await localFiles()).toEqual([`${IMAGE}-${id}.d`, `${IMAGE}-${id}.vhd`, `${IMAGE}-${id}.vhd.md5`]);
  expect(existsSync(join(imagesDir, `${IMAGE}-${id}.d`, 'manifest'))).toBe(true);
});
