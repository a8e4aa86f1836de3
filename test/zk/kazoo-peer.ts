/**
 * Runs the real Python kazoo peers in test/support/kazoo/ through execa
 * (/usr/bin/python3 has python3-kazoo). Every started process is killed by
 * `stopAll()` (call it in afterEach) so a failing test leaves nothing behind.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { buildConnectString } from '../../src/zk/connect-string.js';
import type { ZkServer, ZkTlsFiles } from '../../src/zk/zk-types.js';

const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'support', 'kazoo');
const PYTHON = '/usr/bin/python3';

const running = new Set<ResultPromise>();

function connectArgs(servers: ZkServer[], tls?: ZkTlsFiles): string[] {
  const args = ['--hosts', buildConnectString(servers)];
  if (tls) args.push('--certfile', tls.cert, '--keyfile', tls.key, '--ca', tls.ca);
  return args;
}

/** kazoo `Lock(path).acquire(blocking=False)`, released at once: true when it got the lock. */
export async function kazooTryLock(servers: ZkServer[], path: string): Promise<boolean> {
  const { stdout } = await execa(PYTHON, [join(SCRIPTS, 'hold_lock.py'), ...connectArgs(servers), '--path', path, '--mode', 'try']);
  return stdout.trim() === 'acquired';
}

export interface KazooHolder {
  /** the kazoo lock node name */
  node: string;
  /** releases the lock (closes the script's stdin) and waits for it to exit */
  release(): Promise<void>;
}

/** Starts a kazoo peer that acquires `Lock(path)` and holds it until released. */
export async function kazooHoldLock(servers: ZkServer[], path: string): Promise<KazooHolder> {
  const child = execa(PYTHON, [join(SCRIPTS, 'hold_lock.py'), ...connectArgs(servers), '--path', path, '--mode', 'hold'], {
    stdin: 'pipe',
    buffer: false,
  });
  running.add(child);
  void child.catch(() => undefined).finally(() => running.delete(child));
  const node = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^locked (\S+)$/m.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.then(() => reject(new Error(`kazoo holder exited before locking: ${out}`)), reject);
  });
  return {
    node,
    async release() {
      child.stdin.end();
      await child;
    },
  };
}

/** Reads a znode with a real kazoo client (TLS when `tls` is given); null when missing. */
export async function kazooGet(servers: ZkServer[], path: string, tls?: ZkTlsFiles): Promise<string | null> {
  const result = await execa(PYTHON, [join(SCRIPTS, 'get_node.py'), ...connectArgs(servers, tls), '--path', path], { reject: false });
  if (result.exitCode === 2) return null;
  if (result.exitCode !== 0) throw new Error(`kazoo get ${path} failed: ${result.stderr}`);
  return result.stdout;
}

export async function stopAllKazooPeers(): Promise<void> {
  for (const child of running) child.kill('SIGKILL');
  await Promise.all([...running].map((child) => child.catch(() => undefined)));
}
