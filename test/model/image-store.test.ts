import { ModelError } from '../../src/model/model-error.js';
import { imageBuildPath, imageUploadPath } from '../../src/model/paths.js';
import { buildData, sleep, uploadData, useImageStore } from './fixtures.js';

const ctx = useImageStore();

test('a build round-trips through ZooKeeper with a new uuid4-hex id', async () => {
  const data = buildData({ builder: null, shellType: 'sh', formats: ['raw', 'qcow2'] });
  const id = await ctx.store.storeBuild('ubuntu', data);
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  const back = await ctx.store.getBuild('ubuntu', id);
  expect(back).toEqual({ ...data, formats: ['qcow2', 'raw'], image: 'ubuntu', id, ctimeMs: expect.any(Number) });
  expect(await ctx.store.getImageNames()).toEqual(['ubuntu']);
  expect(await ctx.store.getBuildIds('ubuntu')).toEqual([id]);
});

test('storeBuild with an id overwrites; a legacy sequence id works too', async () => {
  await ctx.t.zk.create(imageBuildPath('ubuntu', '0000000004'), '{"state": "building", "state_time": 1.0}', { makeParents: true });
  expect(await ctx.store.storeBuild('ubuntu', buildData({ state: 'failed', stateTime: 2, formats: [] }), '0000000004')).toBe('0000000004');
  const back = await ctx.store.getBuild('ubuntu', '0000000004');
  expect(back?.state).toBe('failed');
  expect(back?.formats).toEqual([]);
  await expect(ctx.store.storeBuild('ubuntu', buildData(), 'abcdef')).rejects.toMatchObject({ code: 'KILN_ZK_NO_NODE' });
});

test('readers tolerate missing, empty and non-JSON znodes', async () => {
  expect(await ctx.store.getBuild('nothing', 'abc')).toBeNull();
  expect(await ctx.store.getBuilds('nothing')).toEqual([]);
  expect(await ctx.store.getImageNames()).toEqual([]);
  const good = await ctx.store.storeBuild('img', buildData());
  await ctx.t.zk.create(imageBuildPath('img', 'ee'), '', { makeParents: true });
  await ctx.t.zk.create(imageBuildPath('img', 'ff'), 'not json', { makeParents: true });
  expect(await ctx.store.getBuild('img', 'ee')).toBeNull();
  expect(await ctx.store.getBuild('img', 'ff')).toBeNull();
  expect((await ctx.store.getBuilds('img')).map((b) => b.id)).toEqual([good]);
  await ctx.store.storeImageUpload('img', good, 'p1', uploadData());
  await ctx.t.zk.create(imageUploadPath('img', good, 'p1', '0000000099'), '{broken', {});
  expect(await ctx.store.getImageUpload('img', good, 'p1', '0000000099')).toBeNull();
  expect((await ctx.store.getUploads('img', good, 'p1')).map((u) => u.id)).toEqual(['0000000001']);
});

test('getBuilds filters by state; getMostRecentBuilds orders by state_time, not by id or creation', async () => {
  const old = await ctx.store.storeBuild('img', buildData({ stateTime: 300 }));
  const newest = await ctx.store.storeBuild('img', buildData({ stateTime: 900 }));
  const failed = await ctx.store.storeBuild('img', buildData({ state: 'failed', stateTime: 1000 }));
  const middle = await ctx.store.storeBuild('img', buildData({ stateTime: 500 }));
  expect((await ctx.store.getBuilds('img', ['failed'])).map((b) => b.id)).toEqual([failed]);
  expect((await ctx.store.getMostRecentBuilds(2, 'img', 'ready')).map((b) => b.id)).toEqual([newest, middle]);
  expect((await ctx.store.getMostRecentBuilds(null, 'img', 'ready')).map((b) => b.id)).toEqual([newest, middle, old]);
  expect((await ctx.store.getMostRecentBuilds(1, 'img')).map((b) => b.id)).toEqual([failed]);
  expect(await ctx.store.getMostRecentBuilds(1, 'img', 'deleting')).toEqual([]);
});

test('upload ids are bare 10-digit sequence numbers starting at 0000000001', async () => {
  const build = await ctx.store.storeBuild('img', buildData());
  const first = await ctx.store.storeImageUpload('img', build, 'p1', uploadData({ state: 'uploading' }));
  const second = await ctx.store.storeImageUpload('img', build, 'p1', uploadData());
  expect([first, second]).toEqual(['0000000001', '0000000002']);
  expect(await ctx.store.getImageUploadNumbers('img', build, 'p1')).toEqual(expect.arrayContaining(['0000000001', '0000000002']));
  expect((await ctx.store.getImageUploadNumbers('img', build, 'p1')).length).toBe(2); // `lock` is skipped
  expect(await ctx.store.getBuildProviders('img', build)).toEqual(['p1']);
  const back = await ctx.store.getImageUpload('img', build, 'p1', first);
  expect(back).toEqual({ ...uploadData({ state: 'uploading' }), image: 'img', buildId: build, provider: 'p1', id: first });
  // Overwrite by id
  await ctx.store.storeImageUpload('img', build, 'p1', uploadData({ state: 'deleting', stateTime: 5 }), first);
  expect((await ctx.store.getImageUpload('img', build, 'p1', first))?.state).toBe('deleting');
  expect((await ctx.store.getUploads('img', build, 'p1', ['ready'])).map((u) => u.id)).toEqual([second]);
});

test('storeImageUpload refuses a build that does not exist', async () => {
  await ctx.store.storeBuild('img', buildData());
  const err = await ctx.store.storeImageUpload('img', 'abcd', 'p1', uploadData()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ModelError);
  expect(err).toMatchObject({ code: 'KILN_BUILD_NOT_FOUND', message: 'Cannot find build abcd of image img' });
  expect(await ctx.t.zk.exists(imageBuildPath('img', 'abcd'))).toBeNull();
});

test('getMostRecentImageUpload scans all builds and picks the largest upload state_time', async () => {
  const b1 = await ctx.store.storeBuild('img', buildData({ stateTime: 100 }));
  const b2 = await ctx.store.storeBuild('img', buildData({ stateTime: 200 }));
  await ctx.store.storeImageUpload('img', b1, 'p1', uploadData({ stateTime: 500 })); // older build, newer upload
  await ctx.store.storeImageUpload('img', b2, 'p1', uploadData({ stateTime: 400 }));
  await ctx.store.storeImageUpload('img', b2, 'p1', uploadData({ state: 'failed', stateTime: 900 }));
  await ctx.store.storeImageUpload('img', b2, 'p2', uploadData({ stateTime: 999 }));
  const recent = await ctx.store.getMostRecentImageUpload('img', 'p1');
  expect(recent).toMatchObject({ buildId: b1, id: '0000000001', stateTime: 500 });
  expect(await ctx.store.getMostRecentImageUpload('img', 'p1', 'failed')).toMatchObject({ buildId: b2, id: '0000000002' });
  expect(await ctx.store.getMostRecentImageUpload('img', 'p3')).toBeNull();
  const perBuild = await ctx.store.getMostRecentBuildImageUploads(null, 'img', b2, 'p1');
  expect(perBuild.map((u) => u.stateTime)).toEqual([900, 400]);
  // Deleting the newest upload falls back to the previous one.
  await ctx.store.deleteUpload('img', b1, 'p1', '0000000001');
  expect(await ctx.store.getMostRecentImageUpload('img', 'p1')).toMatchObject({ buildId: b2, id: '0000000001' });
});

test('deleteBuild refuses while any upload znode remains, then deletes recursively', async () => {
  const build = await ctx.store.storeBuild('img', buildData());
  const upload = await ctx.store.storeImageUpload('img', build, 'p1', uploadData());
  const lock = ctx.store.imageBuildNumberLock('img', build);
  await lock.acquire({ blocking: false });
  await lock.release(); // leaves builds/<id>/lock behind, which deleteBuild must remove
  expect(await ctx.store.deleteBuild('img', build)).toBe(false);
  expect(await ctx.store.getBuild('img', build)).not.toBeNull();
  await ctx.store.deleteUpload('img', build, 'p1', upload);
  await ctx.store.deleteUpload('img', build, 'p1', upload); // absent is fine
  expect(await ctx.store.deleteBuild('img', build)).toBe(true);
  expect(await ctx.t.zk.exists(imageBuildPath('img', build))).toBeNull();
  expect(await ctx.store.deleteBuild('img', build)).toBe(true);
});

test('locks on not-yet-existing build and upload paths leave empty parents that readers tolerate (test_buildLock_orphan)', async () => {
  const buildLock = ctx.store.imageBuildNumberLock('ubuntu-trusty', '0000000003');
  await buildLock.acquire({ blocking: false });
  await buildLock.release();
  expect(await ctx.t.zk.exists(imageBuildPath('ubuntu-trusty', '0000000003'))).not.toBeNull();
  expect(await ctx.store.getBuild('ubuntu-trusty', '0000000003')).toBeNull();
  expect(await ctx.store.getBuilds('ubuntu-trusty')).toEqual([]);
  expect(await ctx.store.getMostRecentBuilds(1, 'ubuntu-trusty')).toEqual([]);

  const uploadLock = ctx.store.imageUploadNumberLock('ubuntu-trusty', '0000000003', 'p1', '0000000005');
  await uploadLock.acquire({ blocking: false });
  await uploadLock.release();
  expect(await ctx.store.getImageUpload('ubuntu-trusty', '0000000003', 'p1', '0000000005')).toBeNull();
  expect(await ctx.store.getUploads('ubuntu-trusty', '0000000003', 'p1')).toEqual([]);
  expect(await ctx.store.getMostRecentImageUpload('ubuntu-trusty', 'p1')).toBeNull();
});

test('lock factories return unacquired kazoo-style locks at upstream’s paths', async () => {
  const a = ctx.store.imageBuildLock('img');
  const b = ctx.store.imageBuildLock('img');
  expect(a.path).toBe('/nodepool/images/img/builds/lock');
  expect(a.isHeld).toBe(false);
  await a.acquire({ blocking: false });
  await expect(b.acquire({ blocking: false })).rejects.toMatchObject({ code: 'KILN_LOCK_NOT_ACQUIRED' });
  await a.release();
  expect(ctx.store.imageUploadLock('img', 'ab', 'p1').path).toBe('/nodepool/images/img/builds/ab/providers/p1/images/lock');
});

test('pause and request-build round trips', async () => {
  expect(await ctx.store.getImagePaused('img')).toBe(false);
  await ctx.store.pauseImage('img');
  await ctx.store.pauseImage('img'); // idempotent
  expect(await ctx.store.getImagePaused('img')).toBe(true);
  await ctx.store.unpauseImage('img');
  await ctx.store.unpauseImage('img');
  expect(await ctx.store.getImagePaused('img')).toBe(false);

  expect(await ctx.store.hasBuildRequest('img')).toBe(false);
  expect(await ctx.store.getBuildRequest('img')).toBeNull();
  await ctx.store.submitBuildRequest('img');
  await ctx.store.submitBuildRequest('img');
  expect(await ctx.store.hasBuildRequest('img')).toBe(true);
  await ctx.store.removeBuildRequest('img');
  await ctx.store.removeBuildRequest('img');
  expect(await ctx.store.hasBuildRequest('img')).toBe(false);
});

test('getBuildRequest: pending until a build started after the request runs under the build lock', async () => {
  const before = await ctx.store.storeBuild('img', buildData());
  await sleep(20); // ctimes are in ms: keep the build strictly older than the request
  await ctx.store.submitBuildRequest('img');
  const request = await ctx.store.getBuildRequest('img');
  const stat = await ctx.t.zk.exists('/nodepool/images/img/request-build');
  expect(request).toEqual({ image: 'img', pending: true, stateTime: (stat?.ctime ?? 0) / 1000 });

  // Another build (started before the request) holds the lock: still pending.
  const lock = ctx.store.imageBuildLock('img');
  await lock.acquire({ blocking: false });
  expect((await ctx.store.getBuildRequest('img'))?.pending).toBe(true);

  // The build serving the request is created after it: building.
  await sleep(20);
  const serving = await ctx.store.storeBuild('img', buildData({ state: 'building' }));
  expect((await ctx.store.getBuildRequest('img'))?.pending).toBe(false);

  // It ended (lock released) without the request being removed (failed build): pending again.
  await lock.release();
  expect((await ctx.store.getBuildRequest('img'))?.pending).toBe(true);
  expect([before, serving]).toHaveLength(2);
});
