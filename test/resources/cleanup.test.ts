import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { StateFileTracker } from '../../src/resources/state-file-tracker.js';
import { readStateFile, writeStateFile } from '../../src/resources/state-file.js';
import { sweepOrphanBuilds } from '../../src/resources/cleanup-build.js';
import { mountsBelow } from '../../src/resources/mount-table.js';
import { undoResources } from '../../src/resources/undo-resources.js';

describe('resource tracking and cleanup', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kiln-resources-'));
    env = { ...process.env, KILN_STATE_DIR: join(root, 'state') };
  });
  afterEach(async () => {
    await undoResources([{ kind: 'tempdir', path: root }]);
    await rm(root, { recursive: true, force: true });
  });

  it('writes every track/release to the state file at once', async () => {
    const tracker = await StateFileTracker.create({ env, buildId: 'b1' });
    await tracker.track({ kind: 'tempdir', path: '/x' });
    await tracker.track({ kind: 'mount', path: '/x/m' });
    await tracker.track({ kind: 'mount', path: '/x/m' }); // idempotent
    let state = await readStateFile(tracker.path);
    expect(state.resources).toEqual([{ kind: 'tempdir', path: '/x' }, { kind: 'mount', path: '/x/m' }]);
    expect(state.owners[0]?.pid).toBe(process.pid);
    await tracker.release({ kind: 'mount', path: '/x/m' });
    state = await readStateFile(tracker.path);
    expect(state.resources).toEqual([{ kind: 'tempdir', path: '/x' }]);
  });

  /** A build "killed with SIGKILL": real mounts, dirs, a loop device and a process, owned by a dead pid. */
  async function orphanedBuild(id: string): Promise<{ stateFile: string; dir: string; sleeper: number; loop: string }> {
    const dir = join(root, `build-${id}`);
    mkdirSync(join(dir, 'mnt', 'inner'), { recursive: true });
    await execa('mount', ['-t', 'tmpfs', 'tmpfs', join(dir, 'mnt')]);
    mkdirSync(join(dir, 'mnt', 'inner'));
    await execa('mount', ['-t', 'tmpfs', 'tmpfs', join(dir, 'mnt', 'inner')]); // unrecorded: made by a script
    writeFileSync(join(dir, 'disk.raw'), Buffer.alloc(1024 * 1024));
    const loop = (await execa('losetup', ['-f', '--show', join(dir, 'disk.raw')])).stdout.trim();
    const sleeper = execa('sleep', ['600'], { detached: true, reject: false });
    const dead = execa('true');
    await dead;
    const stateFile = join(root, 'state', 'builds', `${id}.json`);
    await writeStateFile(stateFile, {
      version: 1,
      buildId: id,
      owners: [{ pid: dead.pid as number, startTime: 'gone' }],
      createdAt: new Date().toISOString(),
      resources: [
        { kind: 'tempdir', path: dir },
        { kind: 'mount', path: join(dir, 'mnt') },
        { kind: 'loop', device: loop, backingFile: join(dir, 'disk.raw') },
        { kind: 'process', pid: sleeper.pid as number },
      ],
    });
    return { stateFile, dir, sleeper: sleeper.pid as number, loop };
  }

  it('sweeps builds whose owners are dead: processes, nested mounts, loops, dirs, state file', async () => {
    const orphan = await orphanedBuild('dead1');
    const results = await sweepOrphanBuilds(env);
    expect(results.map((r) => r.buildId)).toEqual(['dead1']);
    expect(results[0]?.report.failed).toEqual([]);
    expect(await mountsBelow(root)).toEqual([]);
    expect(existsSync(orphan.dir)).toBe(false);
    expect(existsSync(orphan.stateFile)).toBe(false);
    expect(() => process.kill(orphan.sleeper, 0)).toThrow();
    const loops = (await execa('losetup', ['-j', join(orphan.dir, 'disk.raw')])).stdout.trim();
    expect(loops).toBe('');
    // idempotent: a second sweep finds nothing to do
    expect(await sweepOrphanBuilds(env)).toEqual([]);
  });

  it('never touches a build whose owner is alive', async () => {
    const tracker = await StateFileTracker.create({ env, buildId: 'alive' });
    const dir = join(root, 'alive-dir');
    mkdirSync(dir);
    await tracker.track({ kind: 'tempdir', path: dir });
    expect(await sweepOrphanBuilds(env)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(join(root, 'state', 'builds'))).toEqual(['alive.json']);
  });

  it('unmounts what is mounted below a temp dir (deepest first) before deleting it', async () => {
    const dir = join(root, 'busy');
    mkdirSync(join(dir, 'm'), { recursive: true });
    writeFileSync(join(dir, 'm', 'keep'), 'x');
    await execa('mount', ['--bind', join(dir, 'm'), join(dir, 'm')]);
    await execa('mount', ['-o', 'remount,bind,ro', join(dir, 'm')]);
    // undo through the mount list: unmounted first, then removed
    const report = await undoResources([{ kind: 'tempdir', path: dir }]);
    expect(report.failed).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
