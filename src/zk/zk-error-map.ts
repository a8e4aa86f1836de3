/**
 * Maps node-zookeeper-client failures (Exception objects with numeric codes,
 * or AssertionErrors thrown synchronously by its argument checks) to ZkError
 * with a stable Kiln code; the raw code stays in `zkCode`.
 */
import zookeeper from 'node-zookeeper-client';
import { ZkError, type ZkErrorCode } from '../errors/zk-error.js';

// lib/Exception.js CODES
const CODE_MAP: Record<number, ZkErrorCode> = {
  [-4]: 'KILN_ZK_CONNECTION_LOSS',
  [-7]: 'KILN_ZK_OPERATION_TIMEOUT',
  [-101]: 'KILN_ZK_NO_NODE',
  [-103]: 'KILN_ZK_BAD_VERSION',
  [-110]: 'KILN_ZK_NODE_EXISTS',
  [-111]: 'KILN_ZK_NOT_EMPTY',
  [-112]: 'KILN_ZK_SESSION_EXPIRED',
};

export const ZK_NO_NODE = -101;

export function libraryErrorCode(err: unknown): number | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'number') return err.code;
  return undefined;
}

export function toZkError(err: unknown, operation: string, path: string): ZkError {
  if (err instanceof ZkError) return err;
  const zkCode = libraryErrorCode(err);
  const code = (zkCode !== undefined && CODE_MAP[zkCode]) || 'KILN_ZK_ERROR';
  const reason = err instanceof Error ? err.message : String(err);
  return new ZkError(code, `ZooKeeper ${operation} ${path}: ${reason}`, { path, zkCode, cause: err });
}

/** The library's Exception for a raw code (as its own failures carry); it has no name for some newer codes. */
export function libraryException(zkCode: number): Error {
  try {
    // Exception.create is exported by the library, only missing from @types.
    return (zookeeper.Exception as unknown as { create(code: number): Error }).create(zkCode);
  } catch {
    return Object.assign(new Error(`ZooKeeper error ${zkCode}`), { code: zkCode });
  }
}
