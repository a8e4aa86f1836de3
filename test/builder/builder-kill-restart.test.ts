/**
 * `kiln builder` killed with SIGKILL in the middle of a build (a real process;
 * the fake dib-cmd waits on its pause file), then restarted: the orphaned DIB
 * process group is killed by the new daemon, the stale `building` record
 * (its lock freed when the dead session expired) is removed by cleanup as
 * upstream does, with the build's partial local files, and a new build
 * completes. (Upstream kills nothing: its orphaned DIB would go on writing.)
 */
import { execa } from 'execa';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';
import { imageBuildLockPath } from '../../src/model/paths.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  // Whatever the test's outcome: no fake-image-create of this test survives it.
  for (const pid of await dibProcesses(h.imagesDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await h.cleanup();
});

/** Live (non-zombie) fake-image-create processes writing into `imagesDir`, and their children. */
async function dibProcesses(imagesDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (!stat || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').some((v) => v.startsWith(`DIB_IMAGE_FILENAME=${imagesDir}/`))) pids.push(Number(entry));
  }
  return pids;
}

test('kill -9 mid-build, then restart: orphaned DIB group killed, stale record and partial files removed, a new build completes', async () => {
  const pauseFile = join(h.imagesDir, 'fake-image-create.pause');
  await mkdir(h.imagesDir, { recursive: true });
  await writeFile(pauseFile, '');
  // A short session so the dead daemon's lock and component go soon after the
  // kill, yet long enough that a loaded machine does not expire the live one.
  await h.writeConfig({ diskimages: [h.diskimage('fake-image')], 'zookeeper-timeout': 5 });
  const child = execa('node', [resolve('test/fixtures/builder/run-kiln.mjs'), '-c', h.configPath, 'builder', '--cleanup-interval', '0'], {
    reject: false,
    all: true,
  });
  let building: { id: string };
  let orphans: number[];
  try {
    building = await waitFor('a building record', async () => (await h.store.getBuilds('fake-image', ['building']))[0]);
    // The fake-image-create shell itself (its `sleep 0.1` children come and go).
    orphans = await waitFor('the dib-cmd running', async () => {
      const pids: number[] = [];
      for (const pid of await dibProcesses(h.imagesDir)) {
        if ((await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes('fake-image-create')) pids.push(pid);
      }
      return pids;
    });
    // What a real DIB has written so far when it is killed.
    await writeFile(join(h.imagesDir, `fake-image-${building.id}.qcow2`), 'partial');
    await mkdir(join(h.imagesDir, `fake-image-${building.id}.d`), { recursive: true });
  } finally {
    child.kill('SIGKILL');
  }
  const killed = await child;
  expect(killed.signal).toBe('SIGKILL');
  // Nothing but the restart kills the orphan: it is still there, waiting on the pause file.
  expect(await dibProcesses(h.imagesDir)).toEqual(expect.arrayContaining(orphans));
  expect((await h.store.getBuild('fake-image', building.id))?.state).toBe('building');

  const builder = await h.start({ cleanupIntervalSeconds: 0.3, cleanupCycle: undefined, cleanupDueDelayMs: 50 });
  // The orphaned group is killed during start, before any build of the new daemon
  // (which may already be running its own dib-cmd: only the orphans count here).
  expect((await dibProcesses(h.imagesDir)).filter((pid) => orphans.includes(pid))).toEqual([]);
  // The new daemon builds the image anew (the pause is lifted now that no orphan can see it).
  await rm(pauseFile);
  const [ready] = await waitFor('a new ready build', () => h.store.getBuilds('fake-image', ['ready']), 30000);
  // As upstream, a `building` record counts as alive while the image build lock
  // is held (here by the new build); once it is free, cleanup removes it.
  await waitFor('the stale building record removed', async () => (await h.store.getBuild('fake-image', building.id)) === null, 30000);
  await waitFor('its partial files removed', async () => !(await readdir(h.imagesDir)).some((f) => f.includes(building.id)), 10000);
  expect(ready?.id).not.toBe(building.id);
  expect(ready?.builderId).toBe(builder.builderId);
  await waitFor('the build job gone', () => builder.running().builds.length === 0);
  expect(await h.t.zk.getChildren(imageBuildLockPath('fake-image'))).toEqual([]);
  expect(await h.store.getBuildIds('fake-image')).toEqual([ready?.id]);
  expect(await dibProcesses(h.imagesDir)).toEqual([]);
  expect(await readdir(join(h.imagesDir, '.kiln-dib-groups'))).toEqual([]);
}, 90_000);
