/**
 * `kiln` as a real process: exit codes, config-validate, an unreachable
 * ZooKeeper (a clear error naming the servers, no hang), and the embedded
 * default ZooKeeper (started by the first command, reused by the next).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../../src/util/free-port.js';
import { isPidAlive } from '../../src/util/pid.js';
import { runKilnProcess, writeTempConfig } from './cli-harness.js';

const DISKIMAGES = 'diskimages:\n  - name: fedora\n    formats: [qcow2]\n';

test('usage errors exit 2; --help exits 0 and lists the commands', async () => {
  const help = await runKilnProcess(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('dib-image-list');
  expect(help.stdout).toContain('export-image-data');
  const unknown = await runKilnProcess(['frobnicate']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('unknown command "frobnicate"');
  const extra = await runKilnProcess(['image-build']);
  expect(extra.code).toBe(2);
  expect(extra.stderr).toContain('usage: kiln image-build IMAGE');
});

test('config-validate: 0 for a good file, 1 with the key path for a bad one', async () => {
  const good = await writeTempConfig([{ host: '127.0.0.1', port: 2281 }], DISKIMAGES);
  const bad = await writeTempConfig(null, 'diskimages:\n  - name: fedora\n    rebuild-age: soon\n');
  try {
    expect((await runKilnProcess(['-c', good.path, 'config-validate'])).code).toBe(0);
    const result = await runKilnProcess(['-c', bad.path, 'config-validate']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad.path}: diskimages[0]`);
    expect(result.stderr).toContain('rebuild-age');
  } finally {
    await good.cleanup();
    await bad.cleanup();
  }
});

test('an unreachable ZooKeeper fails with the servers tried instead of hanging', async () => {
  const port = await freePort(); // nothing listens there
  const config = await writeTempConfig([{ host: '127.0.0.1', port }], DISKIMAGES);
  try {
    const result = await runKilnProcess(['-c', config.path, 'dib-image-list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`127.0.0.1:${port}`);
    expect(result.stderr).toContain('KILN_ZK_CONNECT_TIMEOUT');
  } finally {
    await config.cleanup();
  }
});

test('without zookeeper-servers the first command starts the embedded ZooKeeper and later ones reuse it', async () => {
  const config = await writeTempConfig(null, DISKIMAGES);
  const stateDir = join(config.dir, 'kiln-zookeeper');
  try {
    expect((await runKilnProcess(['-c', config.path, 'image-build', 'fedora'])).code).toBe(0);
    const first = JSON.parse(await readFile(join(stateDir, 'server.json'), 'utf8')) as { pid: number; port: number };
    expect(isPidAlive(first.pid)).toBe(true);

    const status = await runKilnProcess(['-c', config.path, 'image-status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ image: 'fedora', paused: false, build_request: 'pending' }),
    ]);
    const again = JSON.parse(await readFile(join(stateDir, 'server.json'), 'utf8')) as { pid: number };
    expect(again.pid).toBe(first.pid);

    const running = await runKilnProcess(['-c', config.path, 'embedded-zookeeper', 'status']);
    expect(running).toMatchObject({ code: 0 });
    expect(running.stdout).toContain(`127.0.0.1:${first.port}`);
    expect((await runKilnProcess(['-c', config.path, 'embedded-zookeeper', 'stop'])).stdout).toBe('stopped');
    expect(isPidAlive(first.pid)).toBe(false);
  } finally {
    // never leave our server running, even when an assertion failed
    await runKilnProcess(['-c', config.path, 'embedded-zookeeper', 'stop']);
    await config.cleanup();
  }
});
