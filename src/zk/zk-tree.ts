/**
 * Multi-node operations built from single-node primitives, with kazoo's
 * semantics: `ensurePath` (kazoo ensure_path / makepath: create bottom-up only
 * what is missing, tolerate concurrent creators) and recursive delete
 * (children first, siblings in parallel, tolerate concurrent deleters).
 */
import { isKilnError } from '../errors/kiln-error.js';
import { childPath, parentPath } from './zk-paths.js';

/** The primitives the tree operations need (ZkClient provides them). */
export interface ZkPrimitives {
  createNode(path: string, data: Buffer, mode: 'persistent'): Promise<string>;
  getChildren(path: string): Promise<string[] | null>;
  deleteNode(path: string, version: number): Promise<boolean>;
}

export async function ensurePath(zk: ZkPrimitives, path: string): Promise<void> {
  if (path === '/') return;
  try {
    await zk.createNode(path, Buffer.alloc(0), 'persistent');
  } catch (err) {
    if (isKilnError(err, 'KILN_ZK_NODE_EXISTS')) return;
    if (!isKilnError(err, 'KILN_ZK_NO_NODE')) throw err;
    await ensurePath(zk, parentPath(path));
    await ensurePath(zk, path);
  }
}

/** Returns false when `path` did not exist. */
export async function deleteRecursive(zk: ZkPrimitives, path: string, version = -1): Promise<boolean> {
  // A child may appear between listing and deleting the parent (another
  // writer); list again a few times before giving up with NOT_EMPTY.
  for (let attempt = 1; ; attempt++) {
    const children = await zk.getChildren(path);
    if (children === null) return false;
    await Promise.all(children.map((name) => deleteRecursive(zk, childPath(path, name))));
    try {
      return await zk.deleteNode(path, version);
    } catch (err) {
      if (!isKilnError(err, 'KILN_ZK_NOT_EMPTY') || attempt >= 5) throw err;
    }
  }
}
