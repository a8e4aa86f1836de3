import { open, readFile, rename, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TrackedResource } from './types.js';
import type { ProcessIdentity } from './process-identity.js';

/** The on-disk record of one build's live resources. */
export interface BuildState {
  version: 1;
  buildId: string;
  /** the build is someone's while any owner is alive (the CLI parent and its worker) */
  owners: ProcessIdentity[];
  createdAt: string;
  /** in creation order; cleanup walks it backwards */
  resources: TrackedResource[];
}

/** Writes the whole state atomically and durably: temp file, fsync, rename, fsync dir. */
export async function writeStateFile(path: string, state: BuildState): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(state, null, 1));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export async function readStateFile(path: string): Promise<BuildState> {
  return JSON.parse(await readFile(path, 'utf8')) as BuildState;
}
