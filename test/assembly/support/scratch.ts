/** A per-test scratch dir with root/, work/ and out/, removed afterwards. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Scratch {
  dir: string;
  root: string;
  work: string;
  out: string;
  remove(): Promise<void>;
}

export async function makeScratch(prefix: string): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), `kiln-asm-${prefix}-`));
  const s = { dir, root: join(dir, 'root'), work: join(dir, 'work'), out: join(dir, 'out') };
  for (const d of [s.root, s.work, s.out]) await mkdir(d);
  return { ...s, remove: () => rm(dir, { recursive: true, force: true }) };
}
