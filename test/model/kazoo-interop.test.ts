import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { buildConnectString } from '../../src/zk/connect-string.js';
import { imageBuildPath, imageUploadPath } from '../../src/model/paths.js';
import { buildData, uploadData, useImageStore } from './fixtures.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'kazoo', 'image_records.py');

const ctx = useImageStore();

function python(args: string[]) {
  return execa('/usr/bin/python3', [SCRIPT, '--hosts', buildConnectString(ctx.t.servers), ...args], { reject: false });
}

test('a Python kazoo peer reads Kiln-written build and upload znodes with upstream’s field names and types', async () => {
  // An integral state_time must still be a float for Python.
  const build = await ctx.store.storeBuild('ubuntu', buildData({ stateTime: 1718000000, formats: ['raw', 'qcow2'] }));
  const upload = await ctx.store.storeImageUpload('ubuntu', build, 'cloud-a', uploadData());
  const result = await python([
    'check',
    '--build',
    imageBuildPath('ubuntu', build),
    '--upload',
    imageUploadPath('ubuntu', build, 'cloud-a', upload),
  ]);
  expect(result.stderr).toBe('');
  expect(result.stdout).toBe('compatible');
  expect(result.exitCode).toBe(0);
});

test('Kiln reads records written by Python exactly as Nodepool writes them', async () => {
  const result = await python(['write', '--image', 'debian', '--provider', 'cloud-b']);
  expect(result.exitCode).toBe(0);
  const [buildPath, uploadPath] = result.stdout.trim().split('\n') as [string, string];
  const buildId = buildPath.split('/')[5] as string;
  expect(uploadPath).toBe(imageUploadPath('debian', buildId, 'cloud-b', '0000000001'));
  const build = await ctx.store.getBuild('debian', buildId);
  expect(build).toMatchObject({ state: 'ready', builder: 'py-builder', formats: ['qcow2', 'raw'], pythonPath: 'auto', shellType: null });
  const recent = await ctx.store.getMostRecentImageUpload('debian', 'cloud-b');
  expect(recent).toMatchObject({ buildId, id: '0000000001', externalId: 'ext-1', format: 'qcow2' });
  // Kiln's next upload continues the same sequence.
  expect(await ctx.store.storeImageUpload('debian', buildId, 'cloud-b', uploadData())).toBe('0000000002');
});
