/**
 * The embedded default: with no `zookeeper-servers` in the config, Kiln runs
 * its own standalone ZooKeeper from the system's install, bound to 127.0.0.1,
 * with its data in a state directory beside `images-dir`. The first command
 * that needs it starts it (detached, so it outlives the command); later
 * commands find it through `server.json` and reuse it.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { KilnError } from '../errors/kiln-error.js';
import { isServing } from '../zk/four-letter-word.js';
import { startZooKeeper } from '../zk/zookeeper-server.js';
import { freePort } from '../util/free-port.js';
import { isPidAlive } from '../util/pid.js';
import { withDirLock } from '../util/dir-lock.js';
import type { ZkServer } from '../zk/zk-types.js';

export interface EmbeddedServerInfo {
  pid: number;
  port: number;
  startedAt: string;
}

/** `<parent of images-dir>/kiln-zookeeper` */
export function embeddedStateDir(imagesDir: string | null): string {
  if (!imagesDir) {
    throw new KilnError(
      'KILN_EMBEDDED_ZK_NO_IMAGES_DIR',
      'the config has no zookeeper-servers, so Kiln would use its embedded ZooKeeper, which keeps its data beside images-dir; set images-dir or zookeeper-servers',
      { permanent: true },
    );
  }
  return join(dirname(resolve(imagesDir)), 'kiln-zookeeper');
}

/** Returns the running embedded server, starting it if needed. */
export async function ensureEmbeddedZooKeeper(stateDir: string): Promise<ZkServer> {
  const running = await findEmbeddedZooKeeper(stateDir);
  if (running) return { host: '127.0.0.1', port: running.port };
  await mkdir(stateDir, { recursive: true });
  // Two commands starting at once must not start two servers on one data dir.
  return withDirLock(join(stateDir, 'start.lock'), async () => {
    const again = await findEmbeddedZooKeeper(stateDir);
    if (again) return { host: '127.0.0.1', port: again.port };
    const previous = await readInfo(stateDir);
    // Keep the previous port when it is free, so old connect strings still work.
    const port = previous && !(await isServing('127.0.0.1', previous.port)) ? previous.port : await freePort();
    const server = await startZooKeeper({ dir: stateDir, clientPort: port, detached: true }).catch(async (err) => {
      if (previous && port === previous.port) {
        return startZooKeeper({ dir: stateDir, clientPort: await freePort(), detached: true });
      }
      throw err;
    });
    await writeInfo(stateDir, { pid: server.pid, port: server.clientPort, startedAt: new Date().toISOString() });
    return { host: '127.0.0.1', port: server.clientPort };
  });
}

/** The running embedded server, or null (a dead pid or a silent port is not running). */
export async function findEmbeddedZooKeeper(stateDir: string): Promise<EmbeddedServerInfo | null> {
  const info = await readInfo(stateDir);
  if (!info || !isPidAlive(info.pid)) return null;
  return (await isServing('127.0.0.1', info.port)) ? info : null;
}

/** Stops the embedded server if it runs; returns whether it did. */
export async function stopEmbeddedZooKeeper(stateDir: string): Promise<boolean> {
  const info = await readInfo(stateDir);
  if (!info || !isPidAlive(info.pid)) return false;
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + 10000;
  while (isPidAlive(info.pid)) {
    if (Date.now() > deadline) process.kill(info.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 100));
  }
  await rm(join(stateDir, 'server.json'), { force: true });
  return true;
}

async function readInfo(stateDir: string): Promise<EmbeddedServerInfo | null> {
  try {
    const info = JSON.parse(await readFile(join(stateDir, 'server.json'), 'utf8')) as Partial<EmbeddedServerInfo>;
    if (typeof info.pid === 'number' && typeof info.port === 'number') {
      return { pid: info.pid, port: info.port, startedAt: String(info.startedAt ?? '') };
    }
    return null;
  } catch {
    return null;
  }
}

async function writeInfo(stateDir: string, info: EmbeddedServerInfo): Promise<void> {
  const tmp = join(stateDir, `server.json.${process.pid}`);
  await writeFile(tmp, `${JSON.stringify(info, null, 2)}\n`);
  await rename(tmp, join(stateDir, 'server.json'));
}
