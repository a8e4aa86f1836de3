/**
 * The image commands against a seeded tree in a real ZooKeeper chroot:
 * upstream's columns, messages and JSON shapes (golden output), refusals and
 * exit codes, and the records they write.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestZk, type TestZk } from '../support/zk-fixture.js';
import { ImageStore } from '../../src/model/image-store.js';
import { serializeImageBuild, type ImageBuildData } from '../../src/model/image-build.js';
import type { ImageUploadData } from '../../src/model/image-upload.js';
import { imageBuildPath } from '../../src/model/paths.js';
import { writeBackoff } from '../../src/builder/backoff.js';
import { maskAges, runKiln, writeTempConfig, type TempConfig } from './cli-harness.js';

const DAY = 86400;
const now = Date.now() / 1000;
const B1 = '1'.repeat(32);
const B2 = '2'.repeat(32);
const B3 = '3'.repeat(32);

const CONFIG_BODY = `
labels: []
diskimages:
  - name: fedora
    elements: [fedora, vm]
    formats: [qcow2]
  - name: ubuntu
    elements: [ubuntu]
    formats: [raw]
  - name: frozen
    pause: true
    formats: [raw]
  - name: base
    abstract: true
providers:
  - name: local-a
    driver: local
    path: /nonexistent
    diskimages:
      - name: fedora
`;

function build(over: Partial<ImageBuildData>): ImageBuildData {
  return {
    state: 'ready', stateTime: now - 2 * DAY, builder: 'nb01.example.org', builderId: 'b0b0b0b0-0000-4000-8000-000000000000',
    formats: ['qcow2'], username: 'zuul', pythonPath: 'auto', shellType: null, ...over,
  };
}

function upload(over: Partial<ImageUploadData>): ImageUploadData {
  return {
    state: 'ready', stateTime: now - DAY - 3600, externalId: 'ext-0001', externalName: 'fedora-1700000000',
    format: 'qcow2', username: 'zuul', pythonPath: 'auto', shellType: null, ...over,
  };
}

let t: TestZk;
let config: TempConfig;
let store: ImageStore;

beforeEach(async () => {
  t = await createTestZk();
  config = await writeTempConfig(t.servers, CONFIG_BODY);
  store = new ImageStore(t.zk);
  // fixed build ids so the output is golden; uploads get real sequence ids
  await t.zk.create(imageBuildPath('fedora', B1), serializeImageBuild(build({})), { makeParents: true });
  await t.zk.create(imageBuildPath('fedora', B2), serializeImageBuild(build({ state: 'building', stateTime: now - 3600, formats: [] })));
  await t.zk.create(imageBuildPath('ubuntu', B3), serializeImageBuild(build({ formats: ['raw', 'tar'], builder: null })), { makeParents: true });
  await store.storeImageUpload('fedora', B1, 'local-a', upload({}));
  await store.storeImageUpload('fedora', B1, 'local-a', upload({ state: 'uploading', externalId: null, externalName: null, format: null, stateTime: now - 60 }));
  await store.pauseImage('ubuntu');
  await store.submitBuildRequest('fedora');
});

afterEach(async () => {
  await t.cleanup();
  await config.cleanup();
});

const kiln = (...args: string[]) => runKiln(['-c', config.path, ...args]);

describe('listings', () => {
  test('dib-image-list prints upstream columns; builds of a ZooKeeper-paused image show as paused', async () => {
    const result = await kiln('dib-image-list');
    expect(result.code).toBe(0);
    expect(maskAges(result.stdout)).toBe(
      [
        '+-----------------------------------------+--------+------------------+---------+----------+-------------+',
        '| ID                                      | Image  | Builder          | Formats | State    | Age         |',
        '+-----------------------------------------+--------+------------------+---------+----------+-------------+',
        `| fedora-${B1} | fedora | nb01.example.org | qcow2   | ready    | 02:00:mm:ss |`,
        `| fedora-${B2} | fedora | nb01.example.org |         | building | 00:01:mm:ss |`,
        `| ubuntu-${B3} | ubuntu |                  | raw,tar | paused   | 02:00:mm:ss |`,
        '+-----------------------------------------+--------+------------------+---------+----------+-------------+',
      ].join('\n'),
    );
  });

  test('dib-image-list --json is the webapp shape', async () => {
    const rows = JSON.parse((await kiln('dib-image-list', '--json')).stdout);
    expect(rows).toEqual([
      { id: `fedora-${B1}`, image: 'fedora', builder: 'nb01.example.org', formats: ['qcow2'], state: 'ready', age: Math.trunc(now - 2 * DAY) },
      { id: `fedora-${B2}`, image: 'fedora', builder: 'nb01.example.org', formats: [], state: 'building', age: Math.trunc(now - 3600) },
      { id: `ubuntu-${B3}`, image: 'ubuntu', builder: null, formats: ['raw', 'tar'], state: 'paused', age: Math.trunc(now - 2 * DAY) },
    ]);
  });

  test('image-list prints every upload with upstream columns', async () => {
    const result = await kiln('image-list');
    expect(maskAges(result.stdout)).toBe(
      [
        '+----------------------------------+------------+----------+--------+---------------------+-------------------+-----------+-------------+',
        '| Build ID                         | Upload ID  | Provider | Image  | Provider Image Name | Provider Image ID | State     | Age         |',
        '+----------------------------------+------------+----------+--------+---------------------+-------------------+-----------+-------------+',
        `| ${B1} | 0000000001 | local-a  | fedora | fedora-1700000000   | ext-0001          | ready     | 01:01:mm:ss |`,
        `| ${B1} | 0000000002 | local-a  | fedora |                     |                   | uploading | 00:00:mm:ss |`,
        '+----------------------------------+------------+----------+--------+---------------------+-------------------+-----------+-------------+',
      ].join('\n'),
    );
    expect(JSON.parse((await kiln('image-list', '--json')).stdout)[1]).toEqual({
      id: B1, upload_id: '0000000002', provider: 'local-a', image: 'fedora', external_name: null, external_id: null, state: 'uploading', age: Math.trunc(now - 60),
    });
  });

  test('image-status shows pause and build requests', async () => {
    const result = await kiln('image-status');
    expect(maskAges(result.stdout)).toBe(
      [
        '+--------+--------+---------------+-------------------+',
        '| Image  | Paused | Build Request | Build Request Age |',
        '+--------+--------+---------------+-------------------+',
        '| fedora | False  | pending       | 00:00:mm:ss       |',
        '| ubuntu | True   |               |                   |',
        '+--------+--------+---------------+-------------------+',
        `building: fedora-${B2} on nb01.example.org for 00:01:mm:ss`,
      ].join('\n'),
    );
    const rows = JSON.parse((await kiln('image-status', '--json')).stdout);
    expect(rows[1]).toEqual({ image: 'ubuntu', paused: true, build_request: null, build_request_age: null, backoff: null, building: [] });
    expect(rows[0].building).toEqual([{ image: 'fedora', buildId: B2, builder: 'nb01.example.org', elapsed: expect.any(Number), phase: null }]);
    expect(rows[0].build_request).toBe('pending');
    expect(typeof rows[0].build_request_age).toBe('number');
  });

  test('image-status shows a builder backoff after failures below the table and in JSON', async () => {
    await writeBackoff(t.zk, 'fedora', { failures: 3, lastFailure: now - 10, until: now + 3 * 3600 + 5, buildId: B2, builder: 'nb01' });
    const result = await kiln('image-status');
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(8); // upstream's table unchanged, then the running build and the backoff
    expect(maskAges(lines[7] as string)).toBe(
      'backoff: fedora: 3 failed build(s) in a row; next automatic build in 00:03:mm:ss (kiln image-build fedora starts one now)',
    );
    const rows = JSON.parse((await kiln('image-status', '--json')).stdout);
    expect(rows[0].backoff).toEqual({ failures: 3, until: now + 3 * 3600 + 5 });
  });

  test('an empty tree prints headers only', async () => {
    const other = await createTestZk();
    const empty = await writeTempConfig(other.servers, CONFIG_BODY);
    try {
      const result = await runKiln(['-c', empty.path, 'image-list']);
      expect(result.stdout.split('\n')).toEqual([
        expect.stringMatching(/^\+-+\+/),
        expect.stringMatching(/^\| Build ID \| Upload ID \| Provider \| Image \| Provider Image Name \| Provider Image ID \| State \| Age \|$/),
        expect.stringMatching(/^\+-+\+/),
        expect.stringMatching(/^\+-+\+/),
      ]);
    } finally {
      await empty.cleanup();
      await other.cleanup();
    }
  });
});

describe('image-build', () => {
  test('creates request-build for a configured image', async () => {
    await store.removeBuildRequest('fedora');
    expect((await kiln('image-build', 'fedora')).code).toBe(0);
    expect(await store.hasBuildRequest('fedora')).toBe(true);
  });

  test.each([
    ['nonexistent', 'Trying to build a non disk-image-builder image: nonexistent'],
    ['base', 'Trying to build a non disk-image-builder image: base'],
    ['frozen', 'Skipping build request for image frozen; paused'],
  ])('refuses %s with upstream message', async (image, message) => {
    const result = await kiln('image-build', image);
    expect(result).toMatchObject({ code: 1, stderr: message });
    expect(await store.hasBuildRequest(image)).toBe(false);
  });
});

describe('image-delete and dib-image-delete', () => {
  test('image-delete marks the upload deleting and resets state_time', async () => {
    const result = await kiln('image-delete', '--provider', 'local-a', '--image', 'fedora', '--build-id', B1, '--upload-id', '0000000001');
    expect(result.code).toBe(0);
    const record = await store.getImageUpload('fedora', B1, 'local-a', '0000000001');
    expect(record).toMatchObject({ state: 'deleting', externalId: 'ext-0001', externalName: 'fedora-1700000000' });
    expect(record?.stateTime).toBeGreaterThan(now - 5);
  });

  test('image-delete refuses an upload in progress and a missing one', async () => {
    const args = ['--provider', 'local-a', '--image', 'fedora', '--build-id', B1];
    expect(await kiln('image-delete', ...args, '--upload-id', '0000000002')).toMatchObject({ code: 1, stderr: 'Cannot delete because image upload in progress' });
    expect(await kiln('image-delete', ...args, '--upload-id', '0000000009')).toMatchObject({ code: 1, stderr: 'Image upload not found' });
    expect((await store.getImageUpload('fedora', B1, 'local-a', '0000000002'))?.state).toBe('uploading');
  });

  test('image-delete requires all four options', async () => {
    const result = await kiln('image-delete', '--provider', 'local-a');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--image, --build-id, --upload-id');
  });

  test('dib-image-delete marks the build deleting; refuses building and missing builds', async () => {
    expect((await kiln('dib-image-delete', `fedora-${B1}`)).code).toBe(0);
    expect((await store.getBuild('fedora', B1))?.state).toBe('deleting');
    expect(await kiln('dib-image-delete', `fedora-${B2}`)).toMatchObject({ code: 1, stderr: 'Cannot delete a build in progress' });
    expect(await kiln('dib-image-delete', 'fedora-abcdef')).toMatchObject({ code: 1, stderr: 'Build fedora-abcdef not found' });
  });

  test('names that would escape the tree are refused before touching ZooKeeper', async () => {
    const result = await kiln('dib-image-delete', `../x-${B1}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('KILN_INVALID_NAME');
  });
});

describe('pause', () => {
  test('image-pause / image-unpause toggle the pause node; unpause is idempotent', async () => {
    expect((await kiln('image-pause', 'fedora')).code).toBe(0);
    expect(await store.getImagePaused('fedora')).toBe(true);
    expect((await kiln('image-unpause', 'fedora')).code).toBe(0);
    expect((await kiln('image-unpause', 'fedora')).code).toBe(0);
    expect(await store.getImagePaused('fedora')).toBe(false);
  });
});

describe('export-image-data / import-image-data', () => {
  test('round trip into another chroot; the file is 0600 and fully replaced; upload ids continue', async () => {
    const file = join(config.dir, 'export.json');
    await writeFile(file, 'x'.repeat(100000)); // longer than the export: must not leave garbage
    expect((await kiln('export-image-data', file)).code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const exported = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(exported)).toContain(`/nodepool/images/fedora/builds/${B1}/providers/local-a/images/0000000002`);
    expect(exported['/nodepool/images/ubuntu/pause']).toBe('');

    const other = await createTestZk();
    const otherConfig = await writeTempConfig(other.servers, CONFIG_BODY);
    try {
      const imported = await runKiln(['-c', otherConfig.path, 'import-image-data', file]);
      expect(imported.code).toBe(0);
      const again = join(config.dir, 'again.json');
      expect((await runKiln(['-c', otherConfig.path, 'export-image-data', again])).code).toBe(0);
      expect(JSON.parse(await readFile(again, 'utf8'))).toEqual(exported);
      const next = await new ImageStore(other.zk).storeImageUpload('fedora', B1, 'local-a', upload({}));
      expect(Number(next)).toBeGreaterThan(2);
    } finally {
      await otherConfig.cleanup();
      await other.cleanup();
    }
  });

  test('import refuses a file that is not an export', async () => {
    const file = join(config.dir, 'bad.json');
    await writeFile(file, '[1, 2]');
    const result = await kiln('import-image-data', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not an image data export');
  });
});

describe('image-status progress of running builds', () => {
  test('shows the last phase from the build log when it is on this host', async () => {
    const logDir = join(config.dir, 'logs');
    await mkdir(logDir, { recursive: true });
    await writeFile(
      join(logDir, `fedora-${B2}.log`),
      '2026-01-01 00:00:00.000 | [00:00] phase root.d (host) started\n2026-01-01 00:00:09.000 | [00:09] phase install.d (chroot) started\n+ apt-get install foo\n',
    );
    const lines = (await kiln('image-status')).stdout.split('\n');
    expect(maskAges(lines[6] as string)).toBe(`building: fedora-${B2} on nb01.example.org for 00:01:mm:ss: phase install.d (chroot) started`);
  });
});
