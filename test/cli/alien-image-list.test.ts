/**
 * `kiln alien-image-list [PROVIDER]` against a real glance-api (behind the
 * fake Keystone, test/support/glance) and a real ZooKeeper chroot: images
 * with `nodepool_build_id` that no ready upload accounts for are listed, the
 * ones Kiln knows and the cloud's own are not, a provider whose listing
 * fails is warned about and skipped (upstream), and the JSON shape.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliContext } from '../../src/cli/cli-context.js';
import { alienImageListCommand } from '../../src/cli/commands/alien-image-list.js';
import { CliError } from '../../src/cli/cli-error.js';
import { ImageStore } from '../../src/model/image-store.js';
import { serializeImageBuild } from '../../src/model/image-build.js';
import { imageBuildPath } from '../../src/model/paths.js';
import { createOpenStackProvider } from '../../src/providers/openstack/index.js';
import type { OpenStackProvider } from '../../src/providers/openstack/openstack-provider.js';
import type { UploadedImage } from '../../src/providers/types.js';
import { startGlanceFixture, TEST_PASSWORD, type GlanceFixture } from '../support/glance/glance-fixture.js';
import { createTestZk, type TestZk } from '../support/zk-fixture.js';
import { makeImageFile } from '../providers/openstack/support/image-files.js';
import { writeTempConfig, type CliResult, type TempConfig } from './cli-harness.js';

const BUILD_ID = 'a1'.repeat(16);
const OLD_BUILD_ID = 'b2'.repeat(16);

let fx: GlanceFixture;
let dir: string;
let cloud: OpenStackProvider;
let savedEnv: NodeJS.ProcessEnv;
/** name → image, as uploaded outside Kiln */
const images = new Map<string, UploadedImage>();

// Glance and the images are made once: every test reads the same cloud against its own ZooKeeper state.
beforeAll(async () => {
  fx = await startGlanceFixture();
  // the CLI finds clouds.yaml as the `kiln` process would: through its environment
  savedEnv = { ...process.env };
  Object.assign(process.env, fx.env);
  dir = await mkdtemp(join(tmpdir(), 'kiln-test-alien-'));
  cloud = createOpenStackProvider(fx.provider('outside', { regionName: 'RegionTwo' }), { env: fx.env, cwd: fx.dir, pollIntervalMs: 100 });
  const file = await makeImageFile(dir, 'raw', 1);
  const upload = async (name: string, properties: Record<string, string>): Promise<void> => {
    images.set(name, await cloud.uploadImage({ imageName: name, filePath: file, format: 'raw', metadata: properties, timeoutSeconds: 120 }));
  };
  const nodepool = (buildId: string, uploadId: string) => ({ nodepool_build_id: buildId, nodepool_upload_id: uploadId, nodepool_provider_name: 'os-a' });
  await upload('fake-image-known', nodepool(BUILD_ID, '0000000001'));
  await upload('fake-image-leaked', nodepool(OLD_BUILD_ID, '0000000007'));
  await upload('fake-image-deleting', nodepool(BUILD_ID, '0000000002'));
  await upload('cirros-0.6', { os_distro: 'cirros' }); // the cloud's own image: never alien
}, 180_000);

afterAll(async () => {
  for (const image of images.values()) await cloud?.deleteImage(image.externalId).catch(() => undefined);
  await cloud?.close();
  if (savedEnv) {
    for (const key of Object.keys(fx?.env ?? {})) delete process.env[key];
    Object.assign(process.env, savedEnv);
  }
  if (fx) {
    const left = await fx.glanceImages();
    await fx.stop();
    // the test's own images are gone, nothing else was created
    expect(left).toEqual([]);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

let t: TestZk;
let config: TempConfig;
beforeEach(async () => {
  t = await createTestZk();
  config = await writeTempConfig(
    t.servers,
    `
diskimages:
  - name: fake-image
    formats: [raw]
providers:
  - name: os-a
    cloud: kiln-test
    region-name: RegionTwo
    diskimages:
      - name: fake-image
  - name: os-broken
    cloud: kiln-wrong-password
    region-name: RegionOne
    diskimages:
      - name: fake-image
`,
  );
  // Kiln knows `known` (ready) and `deleting` (a record on its way out: still alien, as upstream)
  const store = new ImageStore(t.zk);
  const record = (state: 'ready' | 'deleting', image: UploadedImage) => ({
    state,
    stateTime: Date.now() / 1000,
    externalId: image.externalId,
    externalName: image.externalName,
    format: 'raw',
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
  });
  await createBuild(BUILD_ID);
  await store.storeImageUpload('fake-image', BUILD_ID, 'os-a', record('ready', images.get('fake-image-known') as UploadedImage));
  await store.storeImageUpload('fake-image', BUILD_ID, 'os-a', record('deleting', images.get('fake-image-deleting') as UploadedImage));
});

afterEach(async () => {
  await t.cleanup();
  await config.cleanup();
});

async function createBuild(buildId: string): Promise<void> {
  const build = serializeImageBuild({
    state: 'ready', stateTime: Date.now() / 1000, builder: 'nb01', builderId: 'b0b0b0b0-0000-4000-8000-000000000000',
    formats: ['raw'], username: 'zuul', pythonPath: 'auto', shellType: null,
  });
  await t.zk.create(imageBuildPath('fake-image', buildId), build, { makeParents: true });
}

async function alienImageList(positionals: string[], json = false): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx = new CliContext({ configPath: config.path, securePath: undefined, json }, { out: (s) => out.push(s), err: (s) => err.push(s) });
  try {
    const code = await alienImageListCommand.run(ctx, { values: { json }, positionals });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    await ctx.close();
  }
}

function id(name: string): string {
  return (images.get(name) as UploadedImage).externalId;
}

test('lists the images with nodepool_build_id that no ready upload knows; a failing provider is warned about and skipped', async () => {
  const result = await alienImageList([]);
  expect(result.code).toBe(0);
  const lines = result.stdout.split('\n');
  expect(lines[1]).toMatch(/^\| Provider \| Name +\| Image ID +\|$/);
  const rows = lines.slice(3, -1).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
  expect(rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
    ['os-a', 'fake-image-deleting', id('fake-image-deleting')],
    ['os-a', 'fake-image-leaked', id('fake-image-leaked')],
  ]);
  expect(lines).toHaveLength(3 + 2 + 1);
  expect(result.stdout).not.toContain(id('fake-image-known'));
  expect(result.stdout).not.toContain('cirros');
  expect(result.stderr).toMatch(/^warning: Exception listing alien images for os-broken: .+/);
  expect(result.stderr).not.toContain(TEST_PASSWORD);
});

test('PROVIDER limits the listing; --json gives {provider, name, id} objects', async () => {
  const result = await alienImageList(['os-a'], true);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe(''); // os-broken was not asked
  const rows = (JSON.parse(result.stdout) as Array<{ provider: string; name: string; id: string }>).sort((a, b) => a.name.localeCompare(b.name));
  expect(rows).toEqual([
    { provider: 'os-a', name: 'fake-image-deleting', id: id('fake-image-deleting') },
    { provider: 'os-a', name: 'fake-image-leaked', id: id('fake-image-leaked') },
  ]);
});

test('once the leaked image has a ready upload it is no longer alien', async () => {
  const store = new ImageStore(t.zk);
  const leaked = images.get('fake-image-leaked') as UploadedImage;
  await createBuild(OLD_BUILD_ID);
  await store.storeImageUpload('fake-image', OLD_BUILD_ID, 'os-a', {
    state: 'ready', stateTime: Date.now() / 1000, externalId: leaked.externalId, externalName: leaked.externalName, format: 'raw', username: 'zuul', pythonPath: 'auto', shellType: null,
  });
  const result = await alienImageList(['os-a'], true);
  expect(JSON.parse(result.stdout)).toEqual([{ provider: 'os-a', name: 'fake-image-deleting', id: id('fake-image-deleting') }]);
});

test('a provider that only fails gives an empty table and a warning, exit 0 (upstream)', async () => {
  const result = await alienImageList(['os-broken']);
  expect(result.code).toBe(0);
  expect(result.stdout.split('\n')).toEqual(['+----------+------+----------+', '| Provider | Name | Image ID |', '+----------+------+----------+', '+----------+------+----------+']);
  expect(result.stderr).toContain('os-broken');
});

test('an unknown PROVIDER is refused', async () => {
  await expect(alienImageList(['nowhere'])).rejects.toThrow(CliError);
  await expect(alienImageList(['nowhere'])).rejects.toMatchObject({ code: 'KILN_CLI_NOT_FOUND', message: 'Provider nowhere not found' });
});
