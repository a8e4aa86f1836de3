/**
 * A real build through the daemon: `fake-os` with the default dib-cmd (Kiln's
 * own `kiln disk-image-create`, run as `node <repo>/bin/kiln.js
 * disk-image-create` since no diskimage-builder is installed), raw format,
 * uploaded to a `local` provider. The pipeline's temp, state, cache and lock
 * dirs go to the test's temp dir through the diskimage env-vars.
 */
import { access, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import { undoResources } from '../../src/resources/undo-resources.js';
import { mountsBelow } from '../../src/resources/mount-table.js';
import type { BuilderHandle } from '../../src/builder/builder-daemon.js';

let h: Harness;
let builder: BuilderHandle | undefined;
beforeEach(async () => {
  h = await createHarness();
  builder = undefined;
});
afterEach(async () => {
  // Stop the build (its process group dies) and undo whatever the pipeline
  // mounted below the sandbox before the harness removes the temp dir, so a
  // failed test can never make the removal descend into a bind mount.
  await builder?.stop().catch(() => undefined);
  await undoResources([{ kind: 'tempdir', path: join(h.dir, 'dib') }]).catch(() => undefined);
  await h.cleanup();
});

test('a fake-os build through the default dib-cmd becomes ready with its files and is uploaded', async () => {
  const dib = join(h.dir, 'dib');
  const cloud = join(h.dir, 'cloud');
  await h.writeConfig({
    diskimages: [
      {
        name: 'fake-os-image',
        elements: ['fake-os'],
        formats: ['raw'],
        'env-vars': {
          TMP_DIR: join(dib, 'tmp'),
          KILN_STATE_DIR: join(dib, 'state'),
          DIB_IMAGE_CACHE: join(dib, 'cache'),
          DIB_LOCKFILES: join(dib, 'locks'),
          DIB_NO_TIMESTAMP: '1',
        },
      },
    ],
    providers: [{ name: 'local-raw', driver: 'local', path: cloud, 'image-format': 'raw', diskimages: [{ name: 'fake-os-image' }] }],
  });
  builder = await h.start();
  const finished = new Promise<{ state: string; buildId: string }>((resolve) => builder!.events.once('build:finished', resolve));
  const event = await finished;
  const log = await readFile(join(h.logDir, `fake-os-image-${event.buildId}.log`), 'utf8');
  if (event.state !== 'ready') throw new Error(`build ${event.state}; log:\n${log}`);
  expect(log.trimEnd().endsWith('Exit code: 0')).toBe(true);

  const build = await h.store.getBuild('fake-os-image', event.buildId);
  expect(build).toMatchObject({ state: 'ready', formats: ['raw'], builderId: builder.builderId });
  const base = join(h.imagesDir, `fake-os-image-${event.buildId}`);
  expect((await stat(`${base}.raw`)).size).toBeGreaterThan(0);
  await access(`${base}.raw.md5`);
  await access(`${base}.raw.sha256`);
  await access(join(`${base}.d`, 'dib-manifests', 'dib_arguments'));

  const [upload] = await waitFor('a ready upload', () => h.store.getUploads('fake-os-image', event.buildId, 'local-raw', ['ready']), 60000);
  expect(upload?.format).toBe('raw');
  const sidecar = JSON.parse(await readFile(join(cloud, `${upload?.externalName}.raw.json`), 'utf8')) as { id: string; properties: Record<string, string> };
  expect(sidecar.id).toBe(upload?.externalId);
  expect(sidecar.properties['nodepool_build_id']).toBe(event.buildId);
  expect((await stat(join(cloud, `${upload?.externalName}.raw`))).size).toBe((await stat(`${base}.raw`)).size);

  // The pipeline left nothing behind in its temp and state dirs.
  expect(await mountsBelow(dib)).toEqual([]);
  await waitFor('the build dir removed', async () => (await readdir(join(dib, 'tmp')).catch(() => [])).length === 0, 30000);
}, 240_000);
