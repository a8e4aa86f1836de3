import { createTestZk } from '../support/zk-fixture.js';
import { execa } from 'execa';
import { ImageStore } from '../../src/model/image-store.js';
import {
  exportImageData,
  importImageData,
  parseImageData,
  serializeImageData,
} from '../../src/model/image-data-export.js';
import { ModelError } from '../../src/model/model-error.js';
import { seedTree } from './seed-tree.js';
import { buildData, uploadData, useImageStore } from './fixtures.js';

const ctx = useImageStore();

test('export holds every build and upload znode’s data and pause markers, no locks or requests', async () => {
  const seeded = await seedTree(ctx.store, ctx.t.zk);
  const data = await exportImageData(ctx.t.zk);
  const [u0] = seeded.builds['ubuntu'] as [string];
  const keys = Object.keys(data);
  expect(keys).toContain('/nodepool/images/ubuntu/pause');
  // Image order: sorted; the pause marker comes before the image's builds.
  expect(keys.findIndex((k) => k.startsWith('/nodepool/images/ubuntu/'))).toBe(keys.indexOf('/nodepool/images/ubuntu/pause'));
  expect(keys.every((k) => !k.endsWith('/lock') && !k.endsWith('/request-build'))).toBe(true);
  expect(data['/nodepool/images/ubuntu/pause']).toBe('');
  expect(data[`/nodepool/images/ubuntu/builds/${u0}`]).toBe((await ctx.t.zk.get(`/nodepool/images/ubuntu/builds/${u0}`))?.data.toString());
  expect(data['/nodepool/images/debian/builds/abc123']).toBe(''); // the orphan is a (empty) build znode
  expect(keys.filter((k) => k.includes('/providers/'))).toHaveLength(5);
  // Each build is followed by its own uploads.
  const buildIndex = keys.indexOf(`/nodepool/images/ubuntu/builds/${u0}`);
  expect(keys[buildIndex + 1]).toBe(`/nodepool/images/ubuntu/builds/${u0}/providers/cloud-a/images/0000000001`);
});

test('export → import into an empty chroot gives the same export, and the next upload id continues', async () => {
  await seedTree(ctx.store, ctx.t.zk);
  const exported = await exportImageData(ctx.t.zk);
  const text = serializeImageData(exported);

  const target = await createTestZk();
  try {
    await importImageData(target.zk, parseImageData(text));
    const again = await exportImageData(target.zk);
    expect(again).toEqual(exported);
    // Same key order too, so the file is byte-identical.
    expect(serializeImageData(again)).toBe(text);

    // upstream test_export_image_data: an upload 0000000001 was imported; the
    // next one (after the upload lock node's own creation) is 0000000003.
    const targetStore = new ImageStore(target.zk);
    const build = Object.keys(exported)
      .find((k) => k.endsWith('/providers/cloud-b/images/0000000001'))
      ?.split('/')[5] as string;
    expect(await targetStore.storeImageUpload('ubuntu', build, 'cloud-b', uploadData())).toBe('0000000003');
    // A parent whose highest imported id is 2 continues at 4.
    expect(await targetStore.storeImageUpload('ubuntu', build, 'cloud-a', uploadData())).toBe('0000000004');
    // And imported records read back as before.
    expect(await targetStore.getImageUpload('ubuntu', build, 'cloud-a', '0000000002')).toEqual(
      await ctx.store.getImageUpload('ubuntu', build, 'cloud-a', '0000000002'),
    );
  } finally {
    await target.cleanup();
  }
});

test('importing over existing nodes overwrites their data', async () => {
  const build = await ctx.store.storeBuild('img', buildData({ stateTime: 1 }));
  await ctx.store.storeImageUpload('img', build, 'p', uploadData());
  const exported = await exportImageData(ctx.t.zk);
  await ctx.store.storeBuild('img', buildData({ state: 'deleting', stateTime: 2 }), build);
  await importImageData(ctx.t.zk, exported);
  expect((await ctx.store.getBuild('img', build))?.state).toBe('ready');
  expect(await ctx.store.getImageUploadNumbers('img', build, 'p')).toEqual(['0000000001']);
});

test('the export file text is Python’s json.dumps of the dict', async () => {
  const data = { '/nodepool/images/a/pause': '', '/nodepool/images/a/builds/ab': '{"state": "ready", "x": "é"}' };
  const { stdout } = await execa('/usr/bin/python3', ['-c', 'import json, sys; sys.stdout.write(json.dumps(json.loads(sys.argv[1])))', JSON.stringify(data)]);
  expect(serializeImageData(data)).toBe(stdout);
  expect(parseImageData(stdout)).toEqual(data);
});

test('malformed import files are rejected with KILN_IMPORT_INVALID', () => {
  for (const text of ['nope', '[]', '{"/nodepool/images/a/pause": 3}', '{"/nodepool/nodes/0000000001": ""}', '{"/nodepool/images/a/builds/lock": ""}']) {
    expect(() => parseImageData(text)).toThrow(ModelError);
    try {
      parseImageData(text);
    } catch (err) {
      expect((err as ModelError).code).toBe('KILN_IMPORT_INVALID');
    }
  }
});
