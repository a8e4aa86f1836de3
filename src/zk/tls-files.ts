/**
 * Reads `zookeeper-tls` (cert, key, ca) up front, as Nodepool does before it
 * connects: a partial triple is refused naming the missing keys, and an
 * unreadable file is reported with its key and path, instead of surfacing later
 * as an obscure handshake failure or connect timeout.
 */
import { readFile } from 'node:fs/promises';
import { KilnError } from '../errors/kiln-error.js';
import type { ZkTlsFiles } from './zk-types.js';

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca: Buffer;
}

const KEYS = ['cert', 'key', 'ca'] as const;

export async function readTlsFiles(files: Partial<ZkTlsFiles>): Promise<TlsMaterial> {
  const missing = KEYS.filter((key) => !files[key]);
  if (missing.length > 0) {
    throw new KilnError(
      'KILN_ZK_TLS_INVALID',
      `zookeeper-tls: missing ${missing.join(', ')}; cert, key and ca must all be set (a TLS ZooKeeper connection needs the full triple)`,
      { permanent: true },
    );
  }
  const [cert, key, ca] = await Promise.all(KEYS.map((k) => readOne(k, files[k] as string)));
  return { cert: cert as Buffer, key: key as Buffer, ca: ca as Buffer };
}

async function readOne(key: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new KilnError('KILN_ZK_TLS_INVALID', `zookeeper-tls.${key}: cannot read ${path} (${reason})`, {
      permanent: true,
      cause: err,
    });
  }
}
