/**
 * `kiln builder` as a real process: JSON logs, then SIGTERM in the middle of a
 * build → the build is recorded failed, its lock and the component node are
 * gone, and the process exits 0.
 */
import { execa } from 'execa';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import { imageBuildLockPath } from '../../src/model/paths.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

test('kiln builder runs as a process and stops gracefully on SIGTERM mid-build', async () => {
  await mkdir(h.imagesDir, { recursive: true });
  await writeFile(join(h.imagesDir, 'fake-image-create.pause'), '');
  await h.writeConfig({ diskimages: [h.diskimage('fake-image')] });
  const child = execa('node', [resolve('test/fixtures/builder/run-kiln.mjs'), '-c', h.configPath, 'builder', '--cleanup-interval', '0', '--metrics-port', '0'], {
    reject: false,
    all: true,
  });
  try {
    const building = await waitFor('a building record', async () => (await h.store.getBuilds('fake-image', ['building']))[0]);
    expect(await h.t.zk.getChildren('/nodepool/components/builder')).toHaveLength(1);
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).toBe(0);
    const lines = String(result.all).split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(expect.arrayContaining(['builder started', 'build started', 'builder stopped']));
    expect((await h.store.getBuild('fake-image', building.id))?.state).toBe('failed');
    expect(await h.t.zk.getChildren(imageBuildLockPath('fake-image'))).toEqual([]);
    expect(await h.t.zk.getChildren('/nodepool/components/builder')).toEqual([]);
  } finally {
    child.kill('SIGKILL');
    await child;
  }
});

test('kiln builder refuses a config without images-dir', async () => {
  await writeFile(h.configPath, 'diskimages: []\n');
  const result = await execa('node', [resolve('test/fixtures/builder/run-kiln.mjs'), '-c', h.configPath, 'builder'], { reject: false });
  expect(result.exitCode).toBe(1);
  expect(result.stderr).toContain('No images-dir specified in config.');
});
