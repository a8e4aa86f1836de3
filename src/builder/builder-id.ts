/**
 * `<images-dir>/builder_id.txt` (upstream _getBuilderID): a uuid4 string with
 * dashes, created on first start and reused forever. It is written into every
 * build record, and tells this builder's local files from another's.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuilderError } from './builder-error.js';

export const BUILDER_ID_FILE = 'builder_id.txt';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function readOrCreateBuilderId(imagesDir: string): Promise<string> {
  const path = join(imagesDir, BUILDER_ID_FILE);
  const existing = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing !== null) {
    const id = existing.trim();
    // Upstream reuses whatever the file holds; an unreadable id would silently
    // orphan every local build, so refuse instead.
    if (!UUID.test(id)) throw new BuilderError('KILN_BUILDER_BAD_BUILDER_ID', `${path} does not hold a uuid: ${JSON.stringify(id.slice(0, 80))}`, { permanent: true });
    return id;
  }
  await mkdir(imagesDir, { recursive: true });
  const id = randomUUID();
  // Written via rename so a crash never leaves an empty id file behind.
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, id);
  await rename(tmp, path);
  return id;
}
