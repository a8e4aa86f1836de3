/**
 * The whole daemon against a real glance-api (issue 6's last test): the
 * builder builds `fake-os` with Kiln's own disk-image-create (the default
 * dib-cmd), uploads it through the fake Keystone (clouds.yaml found through
 * OS_CLIENT_CONFIG_FILE in the daemon's environment), `kiln image-list`
 * shows it ready with Glance's image id, Glance has it active with the
 * properties, and after `kiln image-delete` the daemon's cleanup deletes it
 * from Glance: nothing leaks.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHarness, waitFor, type Harness } from '../../builder/support/builder-harness.js';
import { runKiln } from '../../cli/cli-harness.js';
import type { UploadFinishedEvent } from '../../../src/builder/builder-events.js';
import { createOpenStackProvider } from '../../../src/providers/openstack/index.js';
import { startGlanceFixture, type GlanceFixture } from '../../support/glance/glance-fixture.js';

let fx: GlanceFixture;
let h: Harness;

beforeAll(async () => {
  fx = await startGlanceFixture();
}, 180_000);

afterAll(async () => {
  if (!fx) return;
  // A failed test may have left images: delete them (by id) so the fixture stops clean.
  const left = await fx.glanceImages();
  if (left.length > 0) {
    const cloud = createOpenStackProvider(fx.provider('sweeper', { regionName: 'RegionTwo' }), { env: fx.env, cwd: fx.dir });
    for (const image of left) await cloud.deleteImage(image.id).catch(() => undefined);
    await cloud.close();
  }
  await fx.stop();
});

beforeEach(async () => {
  h = await createHarness();
});

afterEach(async () => {
  await h.cleanup();
});

/** nodepool.yaml: fake-os built by the default dib-cmd, one OpenStack provider on the clean proxy. */
function config(uploadPaused: boolean) {
  return {
    diskimages: [
      {
        name: 'fake-os',
        elements: ['fake-os'],
        // no `formats`: the provider's image type (clouds.yaml image_format: qcow2) adds it
        metadata: { os_distro: 'fake-os', hw_disk_bus: 'scsi' },
        // the pipeline's work dirs inside the test's temp dir
        'env-vars': {
          TMP_DIR: join(h.dir, 'tmp'),
          KILN_STATE_DIR: join(h.dir, 'state'),
          DIB_IMAGE_CACHE: join(h.dir, 'cache'),
          DIB_LOCKFILES: join(h.dir, 'locks'),
        },
      },
    ],
    providers: [
      {
        name: 'os-a',
        cloud: 'kiln-test',
        'region-name': 'RegionTwo',
        rate: 0.01,
        diskimages: [{ name: 'fake-os', meta: { zone: 'a', os_distro: 'fake-os-override' }, ...(uploadPaused ? { pause: true } : {}) }],
      },
    ],
  };
}

test('build fake-os, upload to glance-api, image-list shows it ready, image-delete removes it from Glance', async () => {
  await h.writeConfig(config(false));
  const builder = await h.start({
    env: { ...process.env, ...fx.env },
    cleanupIntervalSeconds: 1,
    cleanupCycle: undefined,
    cleanupDueDelayMs: 50,
  });
  const failures: string[] = [];
  builder.events.on('upload:finished', (e: UploadFinishedEvent) => {
    if (e.state === 'failed') failures.push(e.error ?? 'unknown error');
  });
  builder.events.on('build:finished', (e) => {
    if (e.state === 'failed') failures.push(`build ${e.buildId} failed with rc ${e.exitCode} (log in ${h.logDir})`);
  });

  const upload = await waitFor(
    'a ready upload to os-a',
    async () => {
      if (failures.length > 0) throw new Error(failures.join('; '));
      const [build] = await h.store.getBuilds('fake-os', ['ready']);
      return build ? (await h.store.getUploads('fake-os', build.id, 'os-a', ['ready']))[0] : undefined;
    },
    120_000,
  );
  expect(failures).toEqual([]);
  const externalId = upload.externalId as string;
  expect(upload).toMatchObject({ id: '0000000001', format: 'qcow2', externalName: expect.stringMatching(/^fake-os-\d+$/) });

  // built by Kiln's own pipeline (no diskimage-builder on this host), not a stand-in
  const buildLog = await readFile(join(h.logDir, `fake-os-${upload.buildId}.log`), 'utf8');
  expect(buildLog).toMatch(/Image file \S+\/fake-os-\w+\.qcow2 \(qcow2\) created/);

  // `kiln image-list` (in-process main()): the upload, ready, with Glance's id as Provider Image ID
  const table = await runKiln(['-c', h.configPath, 'image-list']);
  expect(table.code).toBe(0);
  const [header, ...rows] = table.stdout
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
  expect(header).toEqual(['Build ID', 'Upload ID', 'Provider', 'Image', 'Provider Image Name', 'Provider Image ID', 'State', 'Age']);
  expect(rows).toEqual([[upload.buildId, '0000000001', 'os-a', 'fake-os', upload.externalName, externalId, 'ready', expect.stringMatching(/^\d\d:\d\d:\d\d:\d\d$/)]]);
  const json = await runKiln(['-c', h.configPath, '--json', 'image-list']);
  expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ id: upload.buildId, provider: 'os-a', external_id: externalId, state: 'ready' })]);

  // Glance: active, private, qcow2, our checksum, the properties as strings
  const image = (await fx.glanceImages()).find((i) => i.id === externalId);
  const md5 = (await readFile(join(h.imagesDir, `fake-os-${upload.buildId}.qcow2.md5`), 'utf8')).split(/\s/)[0];
  expect(image).toMatchObject({
    name: upload.externalName,
    status: 'active',
    visibility: 'private',
    disk_format: 'qcow2',
    container_format: 'bare',
    checksum: md5,
    nodepool_build_id: upload.buildId,
    nodepool_upload_id: '0000000001',
    nodepool_provider_name: 'os-a',
    zone: 'a',
    os_distro: 'fake-os-override', // provider meta over diskimage metadata
    hw_disk_bus: 'scsi',
  });

  // Pause further uploads first, or the daemon would (rightly) upload the build again once the upload is gone.
  const reloaded = new Promise((resolve) => builder.events.once('config:reloaded', resolve));
  await h.writeConfig(config(true));
  await reloaded;

  const deleted = await runKiln([
    '-c', h.configPath, 'image-delete', '--provider', 'os-a', '--image', 'fake-os', '--build-id', upload.buildId, '--upload-id', '0000000001',
  ]);
  expect(deleted).toMatchObject({ code: 0, stderr: '' });
  await waitFor('the upload record deleted by cleanup', async () => (await h.store.getImageUpload('fake-os', upload.buildId, 'os-a', '0000000001')) === null, 60_000);
  // the cloud image goes before its record: Glance has nothing left, and the build stays
  expect(await fx.glanceImages()).toEqual([]);
  expect((await h.store.getBuild('fake-os', upload.buildId))?.state).toBe('ready');
  const after = await runKiln(['-c', h.configPath, '--json', 'image-list']);
  expect(JSON.parse(after.stdout)).toEqual([]);
}, 300_000);
