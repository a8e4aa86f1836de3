import { readImageTree } from '../../src/model/tree-snapshot.js';
import type { ImageSnapshot } from '../../src/model/types.js';
import { seedTree } from './seed-tree.js';
import { useImageStore } from './fixtures.js';

const ctx = useImageStore();

/** The same view assembled from the per-call API, one question at a time. */
async function perCallView(): Promise<ImageSnapshot[]> {
  const images: ImageSnapshot[] = [];
  for (const name of await ctx.store.getImageNames()) {
    const builds = [];
    for (const build of await ctx.store.getBuilds(name)) {
      const uploads = new Map();
      for (const provider of await ctx.store.getBuildProviders(name, build.id)) {
        const list = await ctx.store.getUploads(name, build.id, provider);
        uploads.set(provider, list.sort((a, b) => a.id.localeCompare(b.id)));
      }
      builds.push({ build, uploads });
    }
    const lockHolders = (await ctx.t.zk.getChildren(`/nodepool/images/${name}/builds/lock`)) ?? [];
    images.push({
      name,
      paused: await ctx.store.getImagePaused(name),
      buildRequest: await ctx.store.getBuildRequest(name),
      buildLockHolders: lockHolders,
      builds,
    });
  }
  return images;
}

test('the snapshot equals what the per-call API returns on a seeded tree', async () => {
  const seeded = await seedTree(ctx.store, ctx.t.zk);
  const lock = ctx.store.imageBuildLock('ubuntu');
  await lock.acquire({ blocking: false });
  try {
    const snapshot = await readImageTree(ctx.t.zk, { concurrency: 8 });
    expect(snapshot.images).toEqual(await perCallView());

    // And it holds what was seeded.
    expect(snapshot.images.map((i) => i.name)).toEqual(['debian', 'empty-image', 'ubuntu']);
    const ubuntu = snapshot.images[2] as ImageSnapshot;
    expect(ubuntu.paused).toBe(true);
    expect(ubuntu.buildRequest?.pending).toBe(true); // lock held, but no build created after the request
    expect(ubuntu.buildLockHolders).toEqual([lock.nodeName]);
    expect(ubuntu.builds.map((b) => b.build.id).sort()).toEqual([...(seeded.builds['ubuntu'] ?? [])].sort());
    const first = ubuntu.builds.find((b) => b.build.id === seeded.builds['ubuntu']?.[0]);
    expect([...(first?.uploads.keys() ?? [])]).toEqual(['cloud-a', 'cloud-b']);
    expect(first?.uploads.get('cloud-a')?.map((u) => [u.id, u.state])).toEqual([
      ['0000000001', 'ready'],
      ['0000000002', 'failed'],
    ]);
    const debian = snapshot.images[0] as ImageSnapshot;
    expect(debian.builds.map((b) => b.build.id).sort()).toEqual(['0000000007', seeded.builds['debian']?.[0]].sort());
    expect(debian.paused).toBe(false);
    expect(debian.buildRequest).toBeNull();
  } finally {
    await lock.release();
  }
});

test('an empty or absent tree gives no images; `images` restricts the sweep', async () => {
  expect(await readImageTree(ctx.t.zk)).toEqual({ images: [] });
  await seedTree(ctx.store, ctx.t.zk);
  const only = await readImageTree(ctx.t.zk, { images: ['ubuntu', 'not-there'] });
  expect(only.images.map((i) => i.name)).toEqual(['ubuntu']);
});
