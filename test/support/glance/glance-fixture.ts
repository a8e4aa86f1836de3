/**
 * Everything an OpenStack provider test needs, started once per test file:
 * a real glance-api, the fake Keystone, and two proxies in front of Glance —
 * region `RegionOne` through a proxy the test can inject faults into,
 * `RegionTwo` through a clean one (and optionally `RegionDirect`, Glance
 * itself, see GlanceFixtureOptions) — plus clouds.yaml/secure.yaml in a temp
 * directory and `glanceImages()`, Glance's own view of every image (to
 * check that nothing leaked).
 *
 *   let fx: GlanceFixture;
 *   beforeAll(async () => { fx = await startGlanceFixture(); }, 180_000);
 *   afterAll(async () => { await fx?.stop(); });
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Provider } from '../../../src/config/types.js';
import { startFakeKeystone, type FakeKeystone } from './fake-keystone.js';
import { startGlanceProxy, type GlanceProxy } from './glance-proxy.js';
import { identityHeaders, startGlance, type GlanceServer } from './glance-server.js';

export const TEST_PASSWORD = 'pw-Zx81-very-secret';
export const TEST_APP_SECRET = 'appcred-Qm42-very-secret';
export const PROJECT_ID = '0123456789abcdef0123456789abcdef';

export interface GlanceFixture {
  glance: GlanceServer;
  keystone: FakeKeystone;
  /** RegionOne: faults can be injected */
  faulty: GlanceProxy;
  /** RegionTwo */
  clean: GlanceProxy;
  dir: string;
  /** environment for the clouds.yaml search (OS_CLIENT_CONFIG_FILE, OS_CLIENT_SECURE_FILE) */
  env: NodeJS.ProcessEnv;
  /** a Provider as loadConfig makes it; `raw` keys are merged */
  provider(name: string, overrides?: Partial<Provider>): Provider;
  /** every image in Glance, whatever project (admin view, bypassing the proxies) */
  glanceImages(): Promise<Array<{ id: string; name: string; status: string; [key: string]: unknown }>>;
  stop(): Promise<void>;
}

export interface GlanceFixtureOptions {
  /** glance-api without identity checks, reachable directly as region `RegionDirect` (benchmarks) */
  unauthenticated?: boolean;
}

export async function startGlanceFixture(options: GlanceFixtureOptions = {}): Promise<GlanceFixture> {
  const stack: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const stop of stack.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-test-clouds-'));
    stack.push(() => rm(dir, { recursive: true, force: true }));
    const glance = await startGlance({ unauthenticated: options.unauthenticated ?? false });
    stack.push(() => glance.stop());
    // the proxies need the keystone and the keystone the proxies' URLs: give the catalog late-bound entries
    const endpoints = [
      { url: '', region: 'RegionOne' },
      { url: '', region: 'RegionTwo' },
      ...(options.unauthenticated ? [{ url: glance.url, region: 'RegionDirect' }] : []),
    ];
    const keystone = await startFakeKeystone({
      users: [{ name: 'nodepool', domain: 'Default', password: TEST_PASSWORD, project: 'ci', projectId: PROJECT_ID }],
      appCredentials: [{ id: 'appcred-1', secret: TEST_APP_SECRET, projectId: PROJECT_ID }],
      imageEndpoints: endpoints,
    });
    stack.push(() => keystone.stop());
    const faulty = await startGlanceProxy(glance.url, keystone);
    stack.push(() => faulty.stop());
    const clean = await startGlanceProxy(glance.url, keystone);
    stack.push(() => clean.stop());
    (endpoints[0] as { url: string }).url = faulty.url;
    (endpoints[1] as { url: string }).url = clean.url;
    const env = await writeCloudsFiles(dir, keystone.url);
    return {
      glance,
      keystone,
      faulty,
      clean,
      dir,
      env,
      provider: (name, overrides = {}) => ({
        name,
        driver: 'openstack',
        managesImages: true,
        imageType: 'qcow2',
        diskimages: [],
        cloud: 'kiln-test',
        regionName: 'RegionOne',
        rate: 0,
        imageNameFormat: '{image_name}-{timestamp}',
        postUploadHook: null,
        imageUploadTimeout: 3600,
        ...overrides,
        raw: { name, cloud: overrides.cloud ?? 'kiln-test', ...overrides.raw },
      }),
      glanceImages: () => adminList(glance.url),
      stop: cleanup,
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

async function writeCloudsFiles(dir: string, authUrl: string): Promise<NodeJS.ProcessEnv> {
  const clouds = {
    clouds: {
      // the password lives in secure.yaml, as operators keep it
      'kiln-test': {
        auth: { auth_url: `${authUrl}/v3`, username: 'nodepool', project_name: 'ci', user_domain_name: 'Default', project_domain_name: 'Default' },
        region_name: 'RegionOne',
        image_format: 'qcow2',
      },
      'kiln-appcred': {
        auth_type: 'v3applicationcredential',
        auth: { auth_url: authUrl, application_credential_id: 'appcred-1', application_credential_secret: TEST_APP_SECRET },
        regions: ['RegionOne', 'RegionTwo'],
      },
      'kiln-wrong-password': {
        auth: { auth_url: authUrl, username: 'nodepool', password: `wrong-${TEST_PASSWORD}`, project_name: 'ci', domain_name: 'Default' },
      },
    },
  };
  const secure = { clouds: { 'kiln-test': { auth: { password: TEST_PASSWORD } } } };
  const cloudsPath = join(dir, 'clouds.yaml');
  const securePath = join(dir, 'secure.yaml');
  await writeFile(cloudsPath, stringify(clouds));
  await writeFile(securePath, stringify(secure), { mode: 0o600 });
  // HOME/XDG point into the temp dir so the developer's own clouds.yaml never leaks into a test
  return { OS_CLIENT_CONFIG_FILE: cloudsPath, OS_CLIENT_SECURE_FILE: securePath, HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), XDG_CONFIG_DIRS: join(dir, 'xdg-dirs') };
}

function adminList(glanceUrl: string): Promise<Array<{ id: string; name: string; status: string }>> {
  return new Promise((resolve, reject) => {
    const req = request(`${glanceUrl}/v2/images?limit=1000`, { headers: identityHeaders(PROJECT_ID) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { images: Array<{ id: string; name: string; status: string }> }).images);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
