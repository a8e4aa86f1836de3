/** Seeds a small but varied image tree through the per-call API. */
import type { ImageStore } from '../../src/model/image-store.js';
import type { Zk } from '../../src/zk/zk-types.js';
import { imageBuildPath } from '../../src/model/paths.js';
import { buildData, uploadData } from './fixtures.js';

export interface SeededTree {
  builds: Record<string, string[]>;
}

export async function seedTree(store: ImageStore, zk: Zk): Promise<SeededTree> {
  const ubuntu = [
    await store.storeBuild('ubuntu', buildData({ stateTime: 100 })),
    await store.storeBuild('ubuntu', buildData({ stateTime: 200, builder: null, builderId: null })),
    await store.storeBuild('ubuntu', buildData({ state: 'building', stateTime: 300, formats: [] })),
  ];
  const [u0, u1] = ubuntu as [string, string, string];
  await store.storeImageUpload('ubuntu', u0, 'cloud-a', uploadData({ stateTime: 110 }));
  await store.storeImageUpload('ubuntu', u0, 'cloud-a', uploadData({ state: 'failed', stateTime: 111, externalId: null }));
  await store.storeImageUpload('ubuntu', u0, 'cloud-b', uploadData({ stateTime: 112, externalName: 'ubuntu-ünïcode' }));
  await store.storeImageUpload('ubuntu', u1, 'cloud-a', uploadData({ state: 'uploading', stateTime: 210, externalId: null, externalName: null, format: null }));
  await store.pauseImage('ubuntu');
  await store.submitBuildRequest('ubuntu');

  const debian = [await store.storeBuild('debian', buildData({ state: 'failed', stateTime: 50, formats: [] }))];
  // A legacy sequence-numbered build and an orphan made by a lock.
  await zk.create(imageBuildPath('debian', '0000000007'), '{"state": "ready", "state_time": 40.5, "formats": "qcow2"}');
  debian.push('0000000007');
  const orphan = store.imageBuildNumberLock('debian', 'abc123');
  await orphan.acquire({ blocking: false });
  await orphan.release();
  await store.storeImageUpload('debian', '0000000007', 'cloud-a', uploadData({ stateTime: 41 }));

  await zk.ensurePath('/nodepool/images/empty-image');
  return { builds: { ubuntu, debian } };
}
