import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildSandbox } from './support/build-sandbox.js';
import type { BuildState } from '../../src/resources/state-file.js';
import { processesInside } from '../../src/resources/kill-processes.js';
import { processStartTime } from '../../src/resources/process-identity.js';

/** Polls until `probe` returns a value (the build reached a point), or fails after `ms`. */
async function waitFor<T>(probe: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the build');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The sleeper element writes /sleeping in the chroot once install.d is running. */
function sleepingMarker(sandbox: BuildSandbox): string | undefined {
  const dirs = existsSync(sandbox.tmpDir) ? readdirSync(sandbox.tmpDir).filter((d) => d.startsWith('dib_build.')) : [];
  for (const d of dirs) {
    const marker = join(sandbox.tmpDir, d, 'mnt', 'sleeping');
    if (existsSync(marker)) return join(sandbox.tmpDir, d);
  }
  return undefined;
}

function workerPid(sandbox: BuildSandbox): number {
  const dir = join(sandbox.stateDir, 'builds');
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  const state = JSON.parse(readFileSync(join(dir, file as string), 'utf8')) as BuildState;
  const worker = state.owners.length > 1 ? state.owners[state.owners.length - 1] : undefined; // the parent records it second
  if (!worker) throw new Error('no worker recorded in the state file');
  return worker.pid;
}

describe('a build undoes everything it created', () => {
  let sandbox: BuildSandbox;
  beforeEach(async () => {
    sandbox = await BuildSandbox.create('kiln-cleanup-');
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it.each(['root', 'pre-install', 'install', 'finalise', 'cleanup'])('after a script fails in %s.d', async (phase) => {
    const result = await sandbox.build(['--tree-only', '-o', join(sandbox.outDir, 'img'), 'fake-os', 'fail-at'], { KILN_TEST_FAIL_PHASE: phase });
    expect(result.exitCode).toBe(1);
    expect(result.errorCode).toBe('KILN_PIPELINE_SCRIPT_FAILED');
    expect(result.output).toContain(`element script ${phase}.d/70-fail-at-${phase} failed with exit code 3`);
    expect(result.output).toContain(`failing on purpose in ${phase}.d`);
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
    expect(existsSync(join(sandbox.outDir, 'img.tree'))).toBe(false);
  });

  it('keeps the failed tree (unmounted) only when KILN_KEEP_FAILED_TREE=1', async () => {
    const result = await sandbox.build(['--tree-only', '-o', join(sandbox.outDir, 'img'), 'fake-os', 'fail-at'], {
      KILN_TEST_FAIL_PHASE: 'install',
      KILN_KEEP_FAILED_TREE: '1',
    });
    expect(result.exitCode).toBe(1);
    const left = await sandbox.leftovers();
    expect(left.mounts).toEqual([]);
    expect(left.states).toEqual([]);
    expect(left.tmp.filter((d) => d.startsWith('dib_build.'))).toHaveLength(1);
  });

  it('after SIGKILL of the worker: script groups, setsid daemons in the chroot, mounts and dirs', async () => {
    const build = sandbox.build(['--tree-only', '-o', join(sandbox.outDir, 'img'), 'fake-os', 'sleeper']);
    const buildDir = await waitFor(() => sleepingMarker(sandbox));
    const chrootProcs = await processesInside([join(buildDir, 'mnt')]);
    expect(chrootProcs.length).toBeGreaterThanOrEqual(2); // the script's sleep and the setsid daemon
    process.kill(workerPid(sandbox), 'SIGKILL');
    const result = await build;
    expect(result.errorCode).toBe('KILN_PIPELINE_WORKER_CRASHED');
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
    expect(chrootProcs.filter((pid) => processStartTime(pid) !== undefined)).toEqual([]);
  }, 90_000);

  it('after a cancel (SIGINT/SIGTERM path) and after a timeout', async () => {
    const cancel = new AbortController();
    const build = sandbox.build(['--tree-only', '-o', join(sandbox.outDir, 'img'), 'fake-os', 'sleeper'], {}, cancel.signal);
    await waitFor(() => sleepingMarker(sandbox));
    cancel.abort();
    const result = await build;
    expect(result.exitCode).toBe(130);
    expect(result.errorCode).toBe('KILN_PIPELINE_CANCELLED');
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });

    const timed = await sandbox.build(['--tree-only', '--timeout', '3', '-o', join(sandbox.outDir, 'img'), 'fake-os', 'sleeper']);
    expect(timed.errorCode).toBe('KILN_PIPELINE_TIMEOUT');
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
  }, 90_000);

  it('after SIGKILL of the whole builder (parent and worker): the next run cleans up first', async () => {
    const entry = join(process.cwd(), 'dist', 'cli', 'commands', 'disk-image-create.js');
    const builder = execa(
      process.execPath,
      ['--input-type=module', '-e', `import { run } from ${JSON.stringify(entry)}; process.exitCode = await run(process.argv.slice(1));`, '--',
        '--tree-only', '-o', join(sandbox.outDir, 'img'), 'fake-os', 'sleeper'],
      { env: sandbox.env(), reject: false, stdout: 'ignore', stderr: 'ignore' },
    );
    const buildDir = await waitFor(() => sleepingMarker(sandbox));
    const worker = workerPid(sandbox);
    process.kill(builder.pid as number, 'SIGKILL');
    process.kill(worker, 'SIGKILL');
    await builder;
    await waitFor(() => (processStartTime(worker) === undefined ? true : undefined), 10_000);
    // the dead build left its mounts, dirs, state file and chroot processes
    expect((await sandbox.leftovers()).mounts.length).toBeGreaterThan(0);
    const chrootProcs = await processesInside([join(buildDir, 'mnt')]);
    expect(chrootProcs.length).toBeGreaterThan(0);

    const next = await sandbox.build(['--tree-only', '-o', join(sandbox.outDir, 'next'), 'fake-os']);
    expect(next.exitCode).toBe(0);
    expect(next.output).toMatch(/cleaned up orphaned build .*: \d+ resources undone, 0 left/);
    expect(existsSync(buildDir)).toBe(false);
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
    expect(chrootProcs.filter((pid) => processStartTime(pid) !== undefined)).toEqual([]);
  }, 90_000);

  it('reports element errors before creating anything', async () => {
    const result = await sandbox.build(['-o', join(sandbox.outDir, 'img'), 'fake-os', 'no-such-element']);
    expect(result.exitCode).toBe(2);
    expect(result.errorCode).toBe('KILN_ELEMENT_NOT_FOUND');
    expect(result.output).toContain("Element 'no-such-element' not found");
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
  });
});
