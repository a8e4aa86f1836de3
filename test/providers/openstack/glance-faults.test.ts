/**
 * Faults between the provider and a real glance-api, injected by the
 * loopback proxy (test/support/glance/glance-proxy.ts): 5xx answers, a
 * connection dropped mid-upload, an answer lost after Glance created the
 * image, slow answers, a 401 on the data upload. Each upload must end
 * either with exactly one active image or with an error, and Glance must
 * list no leftover image afterwards. A troubled provider must not hold up
 * another one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenStackProvider, type OpenStackProviderOptions } from '../../../src/providers/openstack/index.js';
import type { OpenStackProvider } from '../../../src/providers/openstack/openstack-provider.js';
import type { Provider } from '../../../src/config/types.js';
import type { UploadRequest } from '../../../src/providers/types.js';
import { startGlanceFixture, type GlanceFixture } from '../../support/glance/glance-fixture.js';
import { makeImageFile } from './support/image-files.js';

let fx: GlanceFixture;
let dir: string;
let file: string;
const providers: OpenStackProvider[] = [];
const IMAGE_PATH = /^\/v2\/images\/[0-9a-f-]{36}$/;
const FILE_PATH = /^\/v2\/images\/[0-9a-f-]{36}\/file$/;

beforeAll(async () => {
  fx = await startGlanceFixture();
  dir = await mkdtemp(join(tmpdir(), 'kiln-test-os-faults-'));
  file = await makeImageFile(dir, 'qcow2', 4);
}, 180_000);

afterAll(async () => {
  await Promise.all(providers.map((p) => p.close()));
  await fx?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  fx.faulty.clearFaults();
  // the point of every test here: nothing half-created survives
  const left = await fx.glanceImages();
  const sweeper = createOpenStackProvider(fx.provider('sweeper'), { env: fx.env, cwd: fx.dir });
  for (const image of left) await sweeper.deleteImage(image.id);
  await sweeper.close();
  expect(left).toEqual([]);
});

function open(provider: Provider = fx.provider('os-a'), options: OpenStackProviderOptions = {}): OpenStackProvider {
  const p = createOpenStackProvider(provider, {
    env: fx.env,
    cwd: fx.dir,
    pollIntervalMs: 100,
    requestTimeoutMs: 5000,
    retry: { baseDelayMs: 50, maxDelayMs: 200 },
    ...options,
  });
  providers.push(p);
  return p;
}

let counter = 0;
function request(extra: Partial<UploadRequest> = {}): UploadRequest {
  const uploadId = String(++counter).padStart(10, '0');
  return {
    imageName: `fault-${uploadId}`,
    filePath: file,
    format: 'qcow2',
    metadata: { nodepool_build_id: 'b'.repeat(32), nodepool_upload_id: uploadId, nodepool_provider_name: 'os-a' },
    timeoutSeconds: 60,
    ...extra,
  };
}

/** Uploads, checks Glance holds exactly that one active image, deletes it. */
async function uploadAndCheck(provider: OpenStackProvider, req: UploadRequest = request()): Promise<void> {
  const uploaded = await provider.uploadImage(req);
  const images = await fx.glanceImages();
  expect(images.map((i) => [i.id, i.status])).toEqual([[uploaded.externalId, 'active']]);
  await provider.deleteImage(uploaded.externalId);
}

function outcomes(from: number, path: RegExp): Array<string | number> {
  return fx.faulty.requests.slice(from).filter((r) => path.test(r.path)).map((r) => r.outcome);
}

test('5xx on image creation: the upload is attempted again', async () => {
  fx.faulty.inject({ method: 'POST', path: /^\/v2\/images$/, fault: { kind: 'status', status: 503 }, times: 2 });
  const from = fx.faulty.requests.length;
  await uploadAndCheck(open());
  expect(outcomes(from, /^\/v2\/images$/).filter((o) => o !== 200)).toEqual([503, 503, 201]);
});

test('5xx while polling the status: the GET is retried', async () => {
  fx.faulty.inject({ method: 'GET', path: IMAGE_PATH, fault: { kind: 'status', status: 500 }, times: 2 });
  const from = fx.faulty.requests.length;
  await uploadAndCheck(open());
  expect(outcomes(from, IMAGE_PATH).slice(0, 3)).toEqual([500, 500, 200]);
});

test('connection dropped in the middle of the upload: the image is deleted and a fresh one uploaded', async () => {
  fx.faulty.inject({ method: 'PUT', path: FILE_PATH, fault: { kind: 'drop-mid-upload', afterBytes: 1024 * 1024 } });
  const from = fx.faulty.requests.length;
  await uploadAndCheck(open());
  expect(outcomes(from, FILE_PATH)).toEqual(['drop-mid-upload', 204]);
  expect(fx.faulty.requests.slice(from).filter((r) => r.method === 'DELETE').length).toBe(2); // the broken image, then ours
});

test('the answer to the create is lost after Glance made the image: the twin is found and deleted', async () => {
  fx.faulty.inject({ method: 'POST', path: /^\/v2\/images$/, fault: { kind: 'drop-answer' } });
  const from = fx.faulty.requests.length;
  await uploadAndCheck(open());
  expect(outcomes(from, /^\/v2\/images$/)).toEqual(['drop-answer', 201]);
  expect(fx.faulty.requests.slice(from).some((r) => r.method === 'GET' && r.path.startsWith('/v2/images?name=fault-'))).toBe(true);
});

test('connection dropped before the request reached Glance: retried', async () => {
  fx.faulty.inject({ method: 'GET', path: IMAGE_PATH, fault: { kind: 'drop' } });
  await uploadAndCheck(open());
});

test('a slow answer beyond the request timeout is retried; a slow one within it is waited for', async () => {
  fx.faulty.inject({ method: 'GET', path: IMAGE_PATH, fault: { kind: 'delay', ms: 1500 } });
  fx.faulty.inject({ method: 'POST', path: /^\/v2\/images$/, fault: { kind: 'delay', ms: 300 } });
  const from = fx.faulty.requests.length;
  await uploadAndCheck(open(fx.provider('os-a'), { requestTimeoutMs: 800 }));
  expect(outcomes(from, /^\/v2\/images$/)).toEqual(['delay']); // created once
});

test('a 401 on the data upload: new token, the file is streamed again', async () => {
  fx.faulty.inject({ method: 'PUT', path: FILE_PATH, fault: { kind: 'status', status: 401 } });
  const from = fx.faulty.requests.length;
  await uploadAndCheck(open());
  expect(outcomes(from, FILE_PATH)).toEqual([401, 204]);
  expect(outcomes(from, /^\/v2\/images$/)).toEqual([201]);
});

test('persistent 5xx on the upload: fails with the status after the attempts, leaving nothing', async () => {
  fx.faulty.inject({ method: 'PUT', path: FILE_PATH, fault: { kind: 'status', status: 502 }, times: 100 });
  const from = fx.faulty.requests.length;
  await expect(open(fx.provider('os-a'), { uploadAttempts: 2 }).uploadImage(request())).rejects.toMatchObject({
    code: 'KILN_OPENSTACK_HTTP',
    status: 502,
    permanent: false,
  });
  expect(outcomes(from, /^\/v2\/images$/)).toEqual([201, 201]);
});

test('image-upload-timeout: the upload fails with a timeout and the image is deleted', async () => {
  fx.faulty.inject({ method: 'PUT', path: FILE_PATH, fault: { kind: 'delay', ms: 3000 } });
  await expect(open().uploadImage(request({ timeoutSeconds: 1 }))).rejects.toMatchObject({ code: 'KILN_OPENSTACK_UPLOAD_TIMEOUT' });
});

test('cancelling through the signal: aborted, and the image is deleted', async () => {
  fx.faulty.inject({ method: 'PUT', path: FILE_PATH, fault: { kind: 'delay', ms: 3000 } });
  const controller = new AbortController();
  const upload = open().uploadImage(request({ signal: controller.signal }));
  setTimeout(() => controller.abort(), 500);
  await expect(upload).rejects.toMatchObject({ code: 'KILN_OPENSTACK_ABORTED' });
});

test('a provider stuck behind a slow, failing endpoint does not hold up another provider', async () => {
  fx.faulty.inject({ method: 'PUT', path: FILE_PATH, fault: { kind: 'delay', ms: 4000 } });
  fx.faulty.inject({ method: 'POST', path: /^\/v2\/images$/, fault: { kind: 'status', status: 503 } });
  const slow = open(fx.provider('os-a', { rate: 0.05 }));
  const fast = open(fx.provider('os-b', { regionName: 'RegionTwo', rate: 0.05 }));
  let slowDone = false;
  const slowUpload = slow.uploadImage(request()).finally(() => {
    slowDone = true;
  });
  const fastUploaded = await fast.uploadImage(request());
  expect(slowDone).toBe(false);
  await fast.deleteImage(fastUploaded.externalId);
  const slowUploaded = await slowUpload;
  await slow.deleteImage(slowUploaded.externalId);
});
