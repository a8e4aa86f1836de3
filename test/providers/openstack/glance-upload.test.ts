/**
 * The OpenStack provider against a real glance-api (behind the fake
 * Keystone and the auth proxy, test/support/glance): uploads in each
 * format, properties, checksums, delete, listing, glance-direct import,
 * application credentials, token refresh, and the typed errors.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { createOpenStackProvider, type OpenStackProviderOptions } from '../../../src/providers/openstack/index.js';
import type { OpenStackProvider } from '../../../src/providers/openstack/openstack-provider.js';
import type { Provider } from '../../../src/config/types.js';
import type { UploadRequest } from '../../../src/providers/types.js';
import { startGlanceFixture, TEST_APP_SECRET, TEST_PASSWORD, type GlanceFixture } from '../../support/glance/glance-fixture.js';
import { makeImageFile } from './support/image-files.js';

let fx: GlanceFixture;
let dir: string;
const providers: OpenStackProvider[] = [];

beforeAll(async () => {
  fx = await startGlanceFixture();
  dir = await mkdtemp(join(tmpdir(), 'kiln-test-os-upload-'));
}, 180_000);

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  await fx?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  // every test deletes what it uploaded: Glance must be empty between tests
  expect(await fx.glanceImages()).toEqual([]);
});

function open(provider: Provider, options: OpenStackProviderOptions = {}): OpenStackProvider {
  const p = createOpenStackProvider(provider, { env: fx.env, cwd: fx.dir, pollIntervalMs: 100, retry: { baseDelayMs: 50, maxDelayMs: 200 }, ...options });
  providers.push(p);
  return p;
}

function request(filePath: string, format: string, extra: Partial<UploadRequest> = {}): UploadRequest {
  const uploadId = String(Math.floor(Math.random() * 1e10)).padStart(10, '0');
  return {
    imageName: `ubuntu-jammy-${format}-${uploadId}`,
    filePath,
    format,
    metadata: {
      nodepool_build_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
      nodepool_upload_id: uploadId,
      nodepool_provider_name: 'os-a',
      hw_disk_bus: 'scsi',
      os_distro: 'ubuntu',
    },
    timeoutSeconds: 120,
    ...extra,
  };
}

async function md5(path: string): Promise<string> {
  return createHash('md5').update(await readFile(path)).digest('hex');
}

describe.each(['qcow2', 'raw', 'vhd'] as const)('uploading a %s file', (format) => {
  test('creates an active private image with the properties and our checksum, then deletes it', async () => {
    const file = await makeImageFile(dir, format);
    const provider = open(fx.provider('os-a'));
    const req = request(file, format, { md5: await md5(file) });
    const uploaded = await provider.uploadImage(req);
    try {
      expect(uploaded.externalName).toBe(req.imageName);
      const [image] = (await fx.glanceImages()).filter((i) => i.id === uploaded.externalId);
      expect(image).toMatchObject({
        name: req.imageName,
        status: 'active',
        disk_format: format,
        container_format: 'bare',
        visibility: 'private',
        checksum: await md5(file),
        nodepool_build_id: '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
        nodepool_upload_id: req.metadata['nodepool_upload_id'],
        nodepool_provider_name: 'os-a',
        hw_disk_bus: 'scsi',
        'owner_specified.openstack.md5': await md5(file),
        'owner_specified.openstack.object': `images/${req.imageName}`,
      });
    } finally {
      await provider.deleteImage(uploaded.externalId);
    }
    expect((await fx.glanceImages()).map((i) => i.id)).not.toContain(uploaded.externalId);
  });
});

test('listImages pages through every image and exposes the properties alien-image-list needs', async () => {
  const file = await makeImageFile(dir, 'raw', 1);
  const provider = open(fx.provider('os-a'));
  const uploaded = [];
  try {
    for (let i = 0; i < 3; i++) uploaded.push(await provider.uploadImage(request(file, 'raw')));
    const listed = await provider.listImages();
    expect(listed.map((i) => i.id).sort()).toEqual(uploaded.map((u) => u.externalId).sort());
    for (const image of listed) {
      expect(image.properties['nodepool_build_id']).toBe('0f1e2d3c4b5a69788796a5b4c3d2e1f0');
      expect(image.properties['nodepool_provider_name']).toBe('os-a');
      expect(image.properties).not.toHaveProperty('status');
    }
  } finally {
    for (const u of uploaded) await provider.deleteImage(u.externalId);
  }
});

test('deleting an image that is already gone is not an error', async () => {
  const provider = open(fx.provider('os-a'));
  await expect(provider.deleteImage('00000000-0000-0000-0000-000000000000')).resolves.toBeUndefined();
});

test('upload-method glance-direct stages and imports the file', async () => {
  const file = await makeImageFile(dir, 'qcow2');
  const provider = open(fx.provider('os-a', { raw: { 'upload-method': 'glance-direct' } }));
  const calls = fx.faulty.requests.length;
  const uploaded = await provider.uploadImage(request(file, 'qcow2'));
  try {
    const paths = fx.faulty.requests.slice(calls).map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, 'ID')}`);
    expect(paths).toEqual(expect.arrayContaining(['PUT /v2/images/ID/stage', 'POST /v2/images/ID/import']));
    expect(paths).not.toContain('PUT /v2/images/ID/file');
    const [image] = (await fx.glanceImages()).filter((i) => i.id === uploaded.externalId);
    expect(image).toMatchObject({ status: 'active', checksum: await md5(file) });
  } finally {
    await provider.deleteImage(uploaded.externalId);
  }
});

test('application credentials authenticate without a scope, in the region the provider names', async () => {
  const file = await makeImageFile(dir, 'raw', 1);
  const provider = open(fx.provider('os-b', { cloud: 'kiln-appcred', regionName: 'RegionTwo' }));
  const calls = fx.clean.requests.length;
  const uploaded = await provider.uploadImage(request(file, 'raw'));
  try {
    expect(fx.clean.requests.length).toBeGreaterThan(calls); // RegionTwo's endpoint was used
  } finally {
    await provider.deleteImage(uploaded.externalId);
  }
});

test('a token rejected with 401 is replaced and the call repeated', async () => {
  const provider = open(fx.provider('os-a'));
  await provider.listImages();
  const issued = fx.keystone.issued;
  fx.keystone.revokeAll();
  await expect(provider.listImages()).resolves.toEqual([]);
  expect(fx.keystone.issued).toBe(issued + 1);
});

test('a token close to its expiry is refreshed before use', async () => {
  fx.keystone.setTokenLifetime(2000);
  try {
    const provider = open(fx.provider('os-a'));
    await provider.listImages();
    const issued = fx.keystone.issued;
    await new Promise((resolve) => setTimeout(resolve, 1600)); // inside the last quarter of the lifetime
    const before401 = fx.faulty.requests.filter((r) => r.outcome === 401).length;
    await provider.listImages();
    expect(fx.keystone.issued).toBe(issued + 1);
    expect(fx.faulty.requests.filter((r) => r.outcome === 401).length).toBe(before401); // refreshed, not rejected first
  } finally {
    fx.keystone.setTokenLifetime(3_600_000);
  }
});

describe('clear errors', () => {
  test('a cloud missing from clouds.yaml', async () => {
    const provider = open(fx.provider('os-x', { cloud: 'no-such-cloud' }));
    await expect(provider.listImages()).rejects.toMatchObject({ code: 'KILN_OPENSTACK_CLOUD_NOT_FOUND', message: expect.stringContaining('no-such-cloud') });
  });

  test('bad credentials, without the password in the message or the logs', async () => {
    const lines: string[] = [];
    const logger = { debug: (o: object, m?: string) => lines.push(inspect(o) + m), info: (o: object, m?: string) => lines.push(inspect(o) + m), warn: (o: object, m?: string) => lines.push(inspect(o) + m) };
    const provider = open(fx.provider('os-x', { cloud: 'kiln-wrong-password', regionName: 'RegionOne' }), { logger });
    const err = (await provider.listImages().then(
      () => new Error('no error'),
      (e: unknown) => e,
    )) as Error;
    expect(err).toMatchObject({ code: 'KILN_OPENSTACK_AUTH_FAILED', permanent: true });
    for (const text of [err.message, inspect(err), JSON.stringify(err), inspect(provider), ...lines]) {
      expect(text).not.toContain(TEST_PASSWORD);
      expect(text).not.toContain(TEST_APP_SECRET);
    }
  });

  test('a region the catalog does not have', async () => {
    const provider = open(fx.provider('os-x', { regionName: 'RegionNowhere' }));
    await expect(provider.listImages()).rejects.toMatchObject({ code: 'KILN_OPENSTACK_REGION_NOT_FOUND', message: expect.stringContaining('RegionOne, RegionTwo') });
  });

  test('a region the cloud does not list', async () => {
    const provider = open(fx.provider('os-x', { cloud: 'kiln-appcred', regionName: 'RegionNowhere' }));
    await expect(provider.listImages()).rejects.toMatchObject({ code: 'KILN_OPENSTACK_REGION_NOT_FOUND' });
  });

  test('a format Glance does not know, before anything is created', async () => {
    const file = await makeImageFile(dir, 'raw', 1);
    const provider = open(fx.provider('os-a'));
    await expect(provider.uploadImage(request(file, 'tar'))).rejects.toMatchObject({ code: 'KILN_OPENSTACK_FORMAT_REJECTED' });
  });

  test('a file whose content is not the format it claims', async () => {
    const file = await makeImageFile(dir, 'raw', 1);
    const provider = open(fx.provider('os-a'));
    await expect(provider.uploadImage(request(file, 'qcow2'))).rejects.toMatchObject({ code: 'KILN_OPENSTACK_FORMAT_REJECTED', message: expect.stringContaining('raw') });
  });

  test('a property Glance reserves', async () => {
    const file = await makeImageFile(dir, 'raw', 1);
    const provider = open(fx.provider('os-a'));
    const req = request(file, 'raw');
    req.metadata['os_glance_importing_to_stores'] = 'x';
    await expect(provider.uploadImage(req)).rejects.toMatchObject({ code: 'KILN_OPENSTACK_PROPERTY_REJECTED' });
  });

  test("Glance's checksum differs from the .md5 file: every attempt's image is deleted", async () => {
    const file = await makeImageFile(dir, 'raw', 1);
    const provider = open(fx.provider('os-a'), { uploadAttempts: 2 });
    await expect(provider.uploadImage(request(file, 'raw', { md5: '0'.repeat(32) }))).rejects.toMatchObject({
      code: 'KILN_OPENSTACK_CHECKSUM_MISMATCH',
      message: expect.stringContaining('0'.repeat(32)),
    });
  });

  test('an invalid upload-method is refused when the provider is created', () => {
    expect(() => createOpenStackProvider(fx.provider('os-x', { raw: { 'upload-method': 'web-download' } }))).toThrow(
      expect.objectContaining({ code: 'KILN_OPENSTACK_PROVIDER_INVALID' }),
    );
  });
});
