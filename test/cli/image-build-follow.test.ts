/**
 * `image-build --follow` against a builder played by the test: the request is
 * made, a build record appears, its log grows, then it turns ready or failed.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestZk, type TestZk } from '../support/zk-fixture.js';
import { ImageStore } from '../../src/model/image-store.js';
import type { ImageBuildData } from '../../src/model/image-build.js';
import { runKiln, writeTempConfig, type TempConfig } from './cli-harness.js';

let t: TestZk;
let config: TempConfig;
let store: ImageStore;

beforeEach(async () => {
  t = await createTestZk();
  config = await writeTempConfig(t.servers, 'diskimages:\n  - name: fedora\n    formats: [raw]\n');
  store = new ImageStore(t.zk);
});

afterEach(async () => {
  await t.cleanup();
  await config.cleanup();
});

const building: ImageBuildData = {
  state: 'building', stateTime: Date.now() / 1000, builder: 'nb01', builderId: 'x', formats: [], username: 'zuul', pythonPath: 'auto', shellType: null,
};

/** Waits for the request, then acts as a builder: record, log lines, final state. */
async function playBuilder(final: 'ready' | 'failed'): Promise<void> {
  while (!(await store.hasBuildRequest('fedora'))) await new Promise((r) => setTimeout(r, 50));
  const id = await store.storeBuild('fedora', building);
  const logDir = join(config.dir, 'logs');
  await mkdir(logDir, { recursive: true });
  const log = join(logDir, `fedora-${id}.log`);
  await appendFile(log, '2026-01-01 00:00:00.000 | [00:00] phase root.d (host) started\nnoise line\n');
  await new Promise((r) => setTimeout(r, 1500));
  await appendFile(log, '2026-01-01 00:00:01.000 | [00:01] phase root.d done in 1.0 s\nExit code: 0\n');
  await store.storeBuild('fedora', { ...building, state: final, formats: final === 'ready' ? ['raw'] : [] }, id);
  if (final === 'ready') await store.removeBuildRequest('fedora');
}

test('follows the build that serves the request: phase lines, then exit 0 when ready', async () => {
  const [result] = await Promise.all([runKiln(['-c', config.path, 'image-build', 'fedora', '--follow']), playBuilder('ready')]);
  expect(result.code).toBe(0);
  expect(result.stdout.split('\n')).toEqual([
    '2026-01-01 00:00:00.000 | [00:00] phase root.d (host) started',
    '2026-01-01 00:00:01.000 | [00:01] phase root.d done in 1.0 s',
    'Exit code: 0',
  ]);
  expect(result.stderr).toMatch(/build fedora-[0-9a-f]{32}: ready$/);
});

test('exits 1 when the build fails; --verbose prints the whole log', async () => {
  const [result] = await Promise.all([runKiln(['-c', config.path, 'image-build', 'fedora', '--follow', '--verbose']), playBuilder('failed')]);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('noise line');
  expect(result.stderr).toMatch(/: failed$/);
});
