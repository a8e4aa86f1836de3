/**
 * clouds.yaml + secure.yaml → CloudConfig: search order, secure merge, auth
 * methods and scopes, regions, and the errors (no secrets in any of them).
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { readCloudsFiles, type CloudsFiles } from '../../../src/providers/openstack/clouds-files.js';
import { resolveCloud } from '../../../src/providers/openstack/resolve-cloud.js';

function files(clouds: Record<string, unknown>): CloudsFiles {
  return { cloudsPath: '/etc/openstack/clouds.yaml', securePath: null, clouds: clouds as CloudsFiles['clouds'] };
}

const passwordCloud = {
  auth: { auth_url: 'https://keystone.example:5000/v3/', username: 'nodepool', password: 'hunter2-secret', project_name: 'ci', user_domain_name: 'Default', project_domain_name: 'Default' },
  region_name: 'RegionOne',
};

describe('resolveCloud', () => {
  test('password auth scoped to a project; auth_url loses /v3 and the slash', () => {
    const cloud = resolveCloud(files({ c: passwordCloud }), 'c', null);
    expect(cloud).toMatchObject({
      authUrl: 'https://keystone.example:5000',
      interface: 'public',
      regionName: 'RegionOne',
      imageFormat: 'qcow2',
      credentials: { method: 'password', user: { name: 'nodepool' }, userDomain: { name: 'Default' }, scope: { kind: 'project', project: { name: 'ci' }, domain: { name: 'Default' } } },
    });
    expect(cloud.credentials.method === 'password' && cloud.credentials.password.reveal()).toBe('hunter2-secret');
    expect(JSON.stringify(cloud) + inspect(cloud, { depth: 10 })).not.toContain('hunter2-secret');
  });

  test('domain_name fills the missing user and project domains; ids need no domain', () => {
    const cloud = resolveCloud(files({ c: { auth: { auth_url: 'http://k', username: 'u', password: 'p', project_name: 'ci', domain_name: 'Corp' } } }), 'c', null);
    expect(cloud.credentials).toMatchObject({ userDomain: { name: 'Corp' }, scope: { kind: 'project', domain: { name: 'Corp' } } });
    const byId = resolveCloud(files({ c: { auth: { auth_url: 'http://k', user_id: 'u1', password: 'p', project_id: 'p1' } } }), 'c', null);
    expect(byId.credentials).toMatchObject({ user: { id: 'u1' }, scope: { kind: 'project', project: { id: 'p1' } } });
  });

  test('application credentials by id; the provider region wins over the cloud default', () => {
    const cloud = resolveCloud(
      files({ c: { auth_type: 'v3applicationcredential', auth: { auth_url: 'http://k', application_credential_id: 'ac', application_credential_secret: 's3cr3t-value' }, region_name: 'R1', regions: ['R1', 'R2'] } }),
      'c',
      'R2',
    );
    expect(cloud.credentials).toMatchObject({ method: 'application_credential', id: 'ac' });
    expect(cloud.regionName).toBe('R2');
  });

  test('image_format, vendor profile, interface and TLS settings', () => {
    const cloud = resolveCloud(files({ c: { ...passwordCloud, image_format: 'raw', interface: 'internal', verify: false, cacert: '/ca.pem' }, r: { ...passwordCloud, profile: 'rackspace' } }), 'c', null);
    expect(cloud).toMatchObject({ imageFormat: 'raw', interface: 'internal', tls: { verify: false, caFile: '/ca.pem' } });
    expect(resolveCloud(files({ r: { ...passwordCloud, profile: 'rackspace' } }), 'r', null).imageFormat).toBe('vhd');
  });

  test.each([
    ['a cloud that is not defined', files({ c: passwordCloud }), 'other', null, 'KILN_OPENSTACK_CLOUD_NOT_FOUND'],
    ['no clouds.yaml at all', { cloudsPath: null, securePath: null, clouds: {} }, 'c', null, 'KILN_OPENSTACK_CLOUD_NOT_FOUND'],
    ['a region the cloud does not list', files({ c: { ...passwordCloud, regions: ['RegionOne'] } }), 'c', 'RegionX', 'KILN_OPENSTACK_REGION_NOT_FOUND'],
    ['no password', files({ c: { auth: { ...passwordCloud.auth, password: undefined } } }), 'c', null, 'KILN_OPENSTACK_CLOUD_INVALID'],
    ['no user domain for a user name', files({ c: { auth: { auth_url: 'http://k', username: 'u', password: 'hunter2-secret', project_id: 'p' } } }), 'c', null, 'KILN_OPENSTACK_CLOUD_INVALID'],
    ['an unsupported auth_type', files({ c: { ...passwordCloud, auth_type: 'token' } }), 'c', null, 'KILN_OPENSTACK_CLOUD_INVALID'],
  ] as const)('%s is a clear error', (_name, input, cloud, region, code) => {
    let caught: unknown;
    try {
      resolveCloud(input as CloudsFiles, cloud, region);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code, permanent: true });
    expect(String((caught as Error).message)).not.toContain('hunter2-secret');
  });
});

describe('readCloudsFiles', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-test-clouds-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('OS_CLIENT_CONFIG_FILE wins over ./clouds.yaml, and secure.yaml is merged in', async () => {
    await writeFile(join(dir, 'clouds.yaml'), 'clouds:\n  c:\n    region_name: from-cwd\n');
    await writeFile(join(dir, 'explicit.yaml'), 'clouds:\n  c:\n    region_name: explicit\n    auth:\n      username: u\n');
    await mkdir(join(dir, 'home', '.config', 'openstack'), { recursive: true });
    await writeFile(join(dir, 'home', '.config', 'openstack', 'secure.yaml'), 'clouds:\n  c:\n    auth:\n      password: pw\n');
    const env = { HOME: join(dir, 'home'), OS_CLIENT_CONFIG_FILE: join(dir, 'explicit.yaml') };
    const found = await readCloudsFiles({ env, cwd: dir });
    expect(found.cloudsPath).toBe(join(dir, 'explicit.yaml'));
    expect(found.clouds['c']).toEqual({ region_name: 'explicit', auth: { username: 'u', password: 'pw' } });
    const fromCwd = await readCloudsFiles({ env: { HOME: join(dir, 'home') }, cwd: dir });
    expect(fromCwd.clouds['c']?.['region_name']).toBe('from-cwd');
  });

  test('invalid YAML is reported without quoting the file', async () => {
    await writeFile(join(dir, 'clouds.yaml'), 'clouds:\n  c:\n    auth: {password: "hunter2-secret"\n');
    const err = await readCloudsFiles({ env: { HOME: dir }, cwd: dir }).then(() => null, (e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'KILN_OPENSTACK_CLOUD_INVALID' });
    expect(err?.message).not.toContain('hunter2-secret');
  });
});
