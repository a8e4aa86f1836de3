/**
 * A cross-process lock made of a directory (mkdir is atomic) holding the
 * owner's pid. A lock whose owner is dead is taken over. For short critical
 * sections between Kiln processes on one host (not for ZooKeeper locks).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KilnError } from '../errors/kiln-error.js';
import { isPidAlive } from './pid.js';

export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => '0'));
      if (owner > 0 && !isPidAlive(owner)) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new KilnError('KILN_LOCK_TIMEOUT', `timed out waiting for ${lockDir} (held by pid ${owner || 'unknown'})`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
