/**
 * planCleanup, rule by rule (nodepool-compat.md §6), with upstream's builder
 * scenarios (§12.3) as snapshots. Every test asserts the exact action list.
 */
import { planCleanup } from '../../../src/builder/cleanup/plan-cleanup.js';
import type { CleanupAction } from '../../../src/builder/cleanup/cleanup-actions.js';
import { buildKey, providerKey } from '../../../src/builder/cleanup/cleanup-input.js';
import type { ImageBuild, ImageUpload } from '../../../src/model/types.js';
import type { LocalBuild } from '../../../src/builder/local-images.js';
import { LOCK_HOLDER, ME, OTHER, build, config, image, input, local, snap, tree, upload } from './plan-fixtures.js';

const R = expect.any(String);
const uref = (u: ImageUpload) => ({ image: u.image, buildId: u.buildId, provider: u.provider, uploadId: u.id });
const markUpload = (u: ImageUpload) => ({ type: 'mark-upload-deleting', upload: uref(u), planned: { state: u.state, stateTime: u.stateTime }, reason: R });
const finishUpload = (u: ImageUpload) => ({ type: 'delete-cloud-image-and-record', upload: uref(u), externalId: u.externalId, reason: R });
const deleteUpload = (u: ImageUpload) => [markUpload(u), finishUpload(u)];
const dropRecord = (u: ImageUpload) => ({ type: 'delete-upload-record', upload: uref(u), planned: { state: 'uploading', stateTime: u.stateTime }, reason: R });
const bref = (b: ImageBuild) => ({ image: b.image, buildId: b.id });
const markBuild = (b: ImageBuild) => ({ type: 'mark-build-deleting', build: bref(b), planned: { state: b.state, stateTime: b.stateTime }, reason: R });
const deleteBuild = (b: ImageBuild) => ({ type: 'delete-build-record', build: bref(b), reason: R });
const deleteLocal = (l: LocalBuild) => ({ type: 'delete-local-build', local: l, reason: R });

const oneProvider = (img = 'fake-image') => config({ [img]: {} }, [{ name: 'fake-provider', images: [img] }]);

describe('retention of builds', () => {
  test('test_image_rotation: the third ready build deletes the first, its upload, record and local files', () => {
    const b1 = build('fake-image', 'aaa1', 'ready', 1000);
    const b2 = build('fake-image', 'aaa2', 'ready', 2000);
    const b3 = build('fake-image', 'aaa3', 'ready', 3000);
    const u1 = upload(b1, 'fake-provider', '0000000001', 'ready', 1100);
    const u2 = upload(b2, 'fake-provider', '0000000001', 'ready', 2100);
    const u3 = upload(b3, 'fake-provider', '0000000001', 'ready', 3100);
    const locals = [local('fake-image', 'aaa1'), local('fake-image', 'aaa2'), local('fake-image', 'aaa3')];
    const actions = planCleanup(
      input({ tree: tree(image('fake-image', [snap(b1, u1), snap(b2, u2), snap(b3, u3)])), config: oneProvider(), localBuilds: locals }),
    );
    expect(actions).toEqual([...deleteUpload(u1), markBuild(b1), deleteBuild(b1), deleteLocal(locals[0]!)]);
  });

  test('the 2 newest by state_time are kept, whatever the listing order', () => {
    const newest = build('fake-image', 'aaa1', 'ready', 3000);
    const oldest = build('fake-image', 'aaa2', 'ready', 1000);
    const middle = build('fake-image', 'aaa3', 'ready', 2000);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(newest), snap(oldest), snap(middle)])), config: oneProvider() }));
    expect(actions).toEqual([markBuild(oldest), deleteBuild(oldest)]);
  });

  test('only ready builds count towards the 2 kept; every failed build is deleted', () => {
    const r1 = build('fake-image', 'aaa1', 'ready', 1000);
    const f1 = build('fake-image', 'aaa2', 'failed', 5000);
    const r2 = build('fake-image', 'aaa3', 'ready', 2000);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(r1), snap(f1), snap(r2)])), config: oneProvider() }));
    expect(actions).toEqual([markBuild(f1), deleteBuild(f1)]);
  });

  test('test_cleanup_failed_image_build: a failed build (rc 127, files left behind) is deleted with its local files', () => {
    const ready = build('fake-image', 'aaa1', 'ready', 1000);
    const failed = build('fake-image', 'aaa2', 'failed', 2000);
    const locals = [local('fake-image', 'aaa1'), local('fake-image', 'aaa2')];
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(ready), snap(failed)])), config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([markBuild(failed), deleteBuild(failed), deleteLocal(locals[1]!)]);
  });

  test('an old build whose upload is still among the 2 newest for a provider is kept with it', () => {
    // b1 is the only build uploaded to fake-provider: launchers boot from it, so it stays.
    const b1 = build('fake-image', 'aaa1', 'ready', 1000);
    const b2 = build('fake-image', 'aaa2', 'ready', 2000);
    const b3 = build('fake-image', 'aaa3', 'ready', 3000);
    const u1 = upload(b1, 'fake-provider', '0000000001', 'ready', 1100);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(b1, u1), snap(b2), snap(b3)])), config: oneProvider() }));
    expect(actions).toEqual([]);
  });

  test('the recency table spans builds: 2 newest ready uploads per provider', () => {
    const b1 = build('fake-image', 'aaa1', 'ready', 1000);
    const b2 = build('fake-image', 'aaa2', 'ready', 2000);
    const b3 = build('fake-image', 'aaa3', 'ready', 3000);
    // b1 has two uploads: the newer one is among the 2 newest overall, the older one is not.
    const u1a = upload(b1, 'fake-provider', '0000000001', 'ready', 1100);
    const u1b = upload(b1, 'fake-provider', '0000000002', 'ready', 3500);
    const u3 = upload(b3, 'fake-provider', '0000000001', 'ready', 3100);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(b1, u1a, u1b), snap(b2), snap(b3, u3)])), config: oneProvider() }));
    expect(actions).toEqual(deleteUpload(u1a));
  });

  test('a deleting build is finished: its uploads deleted, then its record, without marking it again', () => {
    const keep1 = build('fake-image', 'aaa1', 'ready', 1000);
    const keep2 = build('fake-image', 'aaa2', 'ready', 2000);
    const doomed = build('fake-image', 'aaa3', 'deleting', 3000);
    const u = upload(doomed, 'fake-provider', '0000000001', 'ready', 2500);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(keep1), snap(keep2), snap(doomed, u)])), config: oneProvider() }));
    expect(actions).toEqual([...deleteUpload(u), deleteBuild(doomed)]);
  });

  test('a build in a state this version does not know is left alone', () => {
    const odd = build('fake-image', 'aaa1', null, 1000);
    expect(planCleanup(input({ tree: tree(image('fake-image', [snap(odd)])), config: oneProvider() }))).toEqual([]);
  });
});

describe('image and provider removal', () => {
  test('test_image_removal: a diskimage absent from the config keeps nothing', () => {
    const b1 = build('fake-image2', 'bbb1', 'ready', 1000);
    const u1 = upload(b1, 'fake-provider', '0000000001', 'ready', 1100);
    const locals = [local('fake-image2', 'bbb1')];
    const cfg = config({ 'fake-image': {} }, [{ name: 'fake-provider', images: ['fake-image'] }]);
    const actions = planCleanup(input({ tree: tree(image('fake-image2', [snap(b1, u1)])), config: cfg, localBuilds: locals }));
    expect(actions).toEqual([...deleteUpload(u1), markBuild(b1), deleteBuild(b1), deleteLocal(locals[0]!)]);
  });

  test('test_provider_removal: an image removed from one provider is deleted there only, even on kept builds', () => {
    const b1 = build('fake-image', 'aaa1', 'ready', 1000);
    const on1 = upload(b1, 'fake-provider', '0000000001', 'ready', 1100);
    const on2 = upload(b1, 'fake-provider2', '0000000001', 'ready', 1200);
    const cfg = config({ 'fake-image': {} }, [
      { name: 'fake-provider', images: ['fake-image'] },
      { name: 'fake-provider2', images: [] },
    ]);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(b1, on1, on2)])), config: cfg }));
    expect(actions).toEqual(deleteUpload(on2));
  });

  test('test_image_removal_two_builders: a builder whose providers do not use the image keeps its fresh build', () => {
    const fresh = build('fake-image1', 'ccc1', 'ready', 1000, { builderId: OTHER });
    const cfg = config({ 'fake-image1': {}, 'fake-image2': {} }, [{ name: 'fake-provider2', images: ['fake-image2'] }]);
    expect(planCleanup(input({ tree: tree(image('fake-image1', [snap(fresh)])), config: cfg }))).toEqual([]);
    // ...which is why every builder must list every diskimage: without it, the build goes.
    const without = config({ 'fake-image2': {} }, [{ name: 'fake-provider2', images: ['fake-image2'] }]);
    expect(planCleanup(input({ tree: tree(image('fake-image1', [snap(fresh)])), config: without }))).toEqual([markBuild(fresh), deleteBuild(fresh)]);
  });

  test('providers that do not manage images, and providers this builder does not know, are never touched', () => {
    const old = build('fake-image', 'aaa1', 'ready', 1000);
    const r2 = build('fake-image', 'aaa2', 'ready', 2000);
    const r3 = build('fake-image', 'aaa3', 'ready', 3000);
    const elsewhere = upload(old, 'other-cloud', '0000000001', 'failed', 1100);
    const onStatic = upload(old, 'static-pool', '0000000001', 'failed', 1100);
    const cfg = config({ 'fake-image': {} }, [
      { name: 'fake-provider', images: ['fake-image'] },
      { name: 'static-pool', images: [], managesImages: false },
    ]);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(old, elsewhere, onStatic), snap(r2), snap(r3)])), config: cfg }));
    // Not all uploads will be deleting (another builder's provider still has one): the build stays.
    expect(actions).toEqual([]);
  });

  test('uploads all deleting at providers this builder does not know: the build is marked deleting but its record stays', () => {
    const old = build('fake-image', 'aaa1', 'ready', 1000);
    const r2 = build('fake-image', 'aaa2', 'ready', 2000);
    const r3 = build('fake-image', 'aaa3', 'ready', 3000);
    const elsewhere = upload(old, 'other-cloud', '0000000001', 'deleting', 1100);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(old, elsewhere), snap(r2), snap(r3)])), config: oneProvider() }));
    expect(actions).toEqual([markBuild(old)]);
  });
});

describe('dead and failed uploads', () => {
  const kept = build('fake-image', 'aaa1', 'ready', 1000);

  test('test_cleanup_hard_upload_fails: an uploading record whose upload lock is free is removed from ZooKeeper only', () => {
    const dead = upload(kept, 'fake-provider', '0000000001', 'uploading', 1100);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(kept, dead)])), config: oneProvider() }));
    expect(actions).toEqual([dropRecord(dead)]);
  });

  test('an uploading record whose upload lock is held is in progress: left alone', () => {
    const live = upload(kept, 'fake-provider', '0000000001', 'uploading', 1100);
    const locks = { busyUploadLocks: new Set([providerKey('fake-image', 'aaa1', 'fake-provider')]) };
    expect(planCleanup(input({ tree: tree(image('fake-image', [snap(kept, live)])), config: oneProvider(), locks }))).toEqual([]);
  });

  test('failed and deleting uploads of kept builds are deleted (cloud by id, then record)', () => {
    const failed = upload(kept, 'fake-provider', '0000000001', 'failed', 1100);
    const deleting = upload(kept, 'fake-provider', '0000000002', 'deleting', 1200);
    const ready = upload(kept, 'fake-provider', '0000000003', 'ready', 1300);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(kept, failed, deleting, ready)])), config: oneProvider() }));
    expect(actions).toEqual([...deleteUpload(failed), finishUpload(deleting)]);
  });

  test('test_image_rotation_invalid_external_name: an upload without external id is still removed from ZooKeeper', () => {
    const b1 = build('fake-image', 'aaa1', 'ready', 1000);
    const b2 = build('fake-image', 'aaa2', 'ready', 2000);
    const b3 = build('fake-image', 'aaa3', 'ready', 3000);
    const broken = upload(b1, 'fake-provider', '0000000001', 'ready', 1100, { externalId: null, externalName: null });
    const u2 = upload(b2, 'fake-provider', '0000000001', 'ready', 2100);
    const u3 = upload(b3, 'fake-provider', '0000000001', 'ready', 3100);
    const locals = [local('fake-image', 'aaa2'), local('fake-image', 'aaa3')];
    const actions = planCleanup(
      input({ tree: tree(image('fake-image', [snap(b1, broken), snap(b2, u2), snap(b3, u3)])), config: oneProvider(), localBuilds: locals }),
    );
    expect(actions).toEqual([...deleteUpload(broken), markBuild(b1), deleteBuild(b1)]);
    expect(finishUpload(broken).externalId).toBeNull();
  });

  test('in an old build, an uploading record with a held lock blocks marking the build', () => {
    const old = build('fake-image', 'aaa1', 'ready', 1000);
    const r2 = build('fake-image', 'aaa2', 'ready', 2000);
    const r3 = build('fake-image', 'aaa3', 'ready', 3000);
    const live = upload(old, 'fake-provider', '0000000001', 'uploading', 1100);
    const locks = { busyUploadLocks: new Set([providerKey('fake-image', 'aaa1', 'fake-provider')]) };
    expect(planCleanup(input({ tree: tree(image('fake-image', [snap(old, live), snap(r2), snap(r3)])), config: oneProvider(), locks }))).toEqual([]);
  });

  test('in an old build, a dead uploading record is marked deleting and removed (no external id)', () => {
    const old = build('fake-image', 'aaa1', 'ready', 1000);
    const r2 = build('fake-image', 'aaa2', 'ready', 2000);
    const r3 = build('fake-image', 'aaa3', 'ready', 3000);
    const dead = upload(old, 'fake-provider', '0000000001', 'uploading', 1100);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(old, dead), snap(r2), snap(r3)])), config: oneProvider() }));
    expect(actions).toEqual([...deleteUpload(dead), markBuild(old), deleteBuild(old)]);
  });
});

describe('builds in progress and busy locks', () => {
  const r1 = build('fake-image', 'aaa1', 'ready', 1000);
  const building = build('fake-image', 'aaa2', 'building', 2000);

  test('a building record with the image build lock held is in progress', () => {
    const t = tree(image('fake-image', [snap(r1), snap(building)], [LOCK_HOLDER]));
    const locals = [local('fake-image', 'aaa2', ['qcow2', 'raw'])];
    expect(planCleanup(input({ tree: t, config: oneProvider(), localBuilds: locals }))).toEqual([]);
  });

  test('a building record this daemon is running is in progress, even with the lock free', () => {
    const t = tree(image('fake-image', [snap(r1), snap(building)]));
    const locals = [local('fake-image', 'aaa2')];
    expect(planCleanup(input({ tree: t, config: oneProvider(), localBuilds: locals, runningLocally: [buildKey('fake-image', 'aaa2')] }))).toEqual([]);
  });

  test('a building record with the build lock free is a dead build: marked deleting (under the build lock) and deleted', () => {
    const t = tree(image('fake-image', [snap(r1), snap(building)]));
    const locals = [local('fake-image', 'aaa2')];
    const actions = planCleanup(input({ tree: t, config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([markBuild(building), deleteBuild(building), deleteLocal(locals[0]!)]);
    expect((actions[0] as Extract<CleanupAction, { type: 'mark-build-deleting' }>).planned.state).toBe('building');
  });

  test('a build whose build-id lock is held is being handled by someone else', () => {
    const failed = build('fake-image', 'aaa3', 'failed', 3000);
    const locks = { busyBuildLocks: new Set([buildKey('fake-image', 'aaa3')]) };
    expect(planCleanup(input({ tree: tree(image('fake-image', [snap(r1), snap(failed)])), config: oneProvider(), locks }))).toEqual([]);
  });
});

describe('local garbage collection', () => {
  const r1 = build('fake-image', 'aaa1', 'ready', 1000);

  test('a local build missing from ZooKeeper is deleted; one of a ready build is kept', () => {
    const locals = [local('fake-image', 'aaa1'), local('fake-image', 'dead1')];
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(r1)])), config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([deleteLocal(locals[1]!)]);
  });

  test('a local build whose record is deleting is deleted', () => {
    const doomed = build('fake-image', 'aaa2', 'deleting', 2000);
    const u = upload(doomed, 'other-cloud', '0000000001', 'deleting', 1500); // keeps the record alive
    const locals = [local('fake-image', 'aaa2')];
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(r1), snap(doomed, u)])), config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([deleteLocal(locals[0]!)]);
  });

  test("another builder's files are never deleted, even when its record is deleting", () => {
    const theirs = build('fake-image', 'aaa2', 'deleting', 2000, { builderId: OTHER });
    const u = upload(theirs, 'other-cloud', '0000000001', 'deleting', 1500);
    const locals = [local('fake-image', 'aaa2')];
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(r1), snap(theirs, u)])), config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([]);
  });

  test('a build this daemon is running is never deleted, even if ZooKeeper lost its record', () => {
    const locals = [local('fake-image', 'aaa9')];
    const actions = planCleanup(
      input({ tree: tree(image('fake-image', [snap(r1)])), config: oneProvider(), localBuilds: locals, runningLocally: [buildKey('fake-image', 'aaa9')] }),
    );
    expect(actions).toEqual([]);
  });

  test('empty-ZooKeeper guard: an empty tree refuses to delete local builds, loudly', () => {
    const locals = [local('fake-image', 'aaa1'), local('fake-image', 'aaa2')];
    const actions = planCleanup(input({ tree: tree(), config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([{ type: 'refuse-local-gc', locals, reason: expect.stringContaining('no ready build') }]);
  });

  test('empty-ZooKeeper guard: a tree with no ready build anywhere (e.g. a first build running) refuses too', () => {
    const building = build('fake-image', 'aaa5', 'building', 5000);
    const locals = [local('fake-image', 'aaa1')];
    const t = tree(image('fake-image', [snap(building)], [LOCK_HOLDER]));
    expect(planCleanup(input({ tree: t, config: oneProvider(), localBuilds: locals }))).toEqual([{ type: 'refuse-local-gc', locals, reason: R }]);
  });

  test('the guard does not hold back builds that ZooKeeper says to delete', () => {
    const failed = build('fake-image', 'aaa2', 'failed', 2000);
    const locals = [local('fake-image', 'aaa2'), local('fake-image', 'aaa3')];
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(failed)])), config: oneProvider(), localBuilds: locals }));
    expect(actions).toEqual([markBuild(failed), deleteBuild(failed), deleteLocal(locals[0]!), { type: 'refuse-local-gc', locals: [locals[1]], reason: R }]);
  });
});

describe('delete-after-upload and keep-formats', () => {
  const cfg = config({ 'fake-image': { deleteAfterUpload: true, keepFormats: ['qcow2'] } }, [
    { name: 'fake-qcow2', imageType: 'qcow2', images: ['fake-image'] },
    { name: 'fake-raw', imageType: 'raw', images: ['fake-image'] },
    { name: 'fake-vhd', imageType: 'vhd', images: ['fake-image'] },
  ]);

  test('test_cleanup_image_format: qcow2 (kept) and vhd (upload failed) remain, raw is pruned', () => {
    const b = build('fake-image', 'aaa1', 'ready', 1000, { formats: ['qcow2', 'raw', 'vhd'] });
    const q = upload(b, 'fake-qcow2', '0000000001', 'ready', 1100);
    const r = upload(b, 'fake-raw', '0000000001', 'ready', 1200, { format: 'raw' });
    const v = upload(b, 'fake-vhd', '0000000001', 'failed', 1300, { format: 'vhd' });
    const l = local('fake-image', 'aaa1', ['qcow2', 'raw', 'vhd']);
    const actions = planCleanup(input({ tree: tree(image('fake-image', [snap(b, q, r, v)])), config: cfg, localBuilds: [l] }));
    expect(actions).toEqual([
      ...deleteUpload(v),
      { type: 'prune-local-formats', build: { image: 'fake-image', buildId: 'aaa1' }, files: [l.files[1]], keepFormats: ['qcow2', 'vhd'], reason: R },
    ]);
  });

  test('nothing is pruned while the build is still building', () => {
    const b = build('fake-image', 'aaa1', 'building', 1000);
    const l = local('fake-image', 'aaa1', ['qcow2', 'raw', 'vhd']);
    const t = tree(image('fake-image', [snap(b)], [LOCK_HOLDER]));
    expect(planCleanup(input({ tree: t, config: cfg, localBuilds: [l] }))).toEqual([]);
  });

  test('without delete-after-upload every format stays', () => {
    const plain = config({ 'fake-image': {} }, [{ name: 'fake-raw', imageType: 'raw', images: ['fake-image'] }]);
    const b = build('fake-image', 'aaa1', 'ready', 1000);
    const r = upload(b, 'fake-raw', '0000000001', 'ready', 1200, { format: 'raw' });
    const l = local('fake-image', 'aaa1', ['qcow2', 'raw']);
    expect(planCleanup(input({ tree: tree(image('fake-image', [snap(b, r)])), config: plain, localBuilds: [l] }))).toEqual([]);
  });
});
