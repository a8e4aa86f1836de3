/**
 * `nodepool export-image-data` / `import-image-data`
 * (ZooKeeper.exportImageData / importImageData): a disaster-recovery copy of
 * the image tree as one JSON object mapping znode path → data string, for
 * every build and upload znode, plus `"<image>/pause": ""` for paused images.
 * Lock nodes and build requests are not exported.
 *
 * Key order: images sorted; builds sorted by id (upstream: ZooKeeper's
 * arbitrary child order, which made exports of one tree differ), each followed
 * by its uploads (providers sorted, uploads in id order). The file text is
 * Python's json.dumps, so readers see exactly what Nodepool writes.
 * Writing the file (mode 0600, truncating) is the CLI's job.
 */
import type { Zk } from '../zk/zk-types.js';
import { isKilnError } from '../errors/kiln-error.js';
import { LimitedReader } from './limited-reader.js';
import { createLimiter, type Limiter } from './limiter.js';
import { pythonJsonDumps } from './python-json.js';
import { readRawImageTree, type RawImage } from './raw-image-tree.js';
import { ModelError } from './model-error.js';
import { imageBuildPath, imagePausePath, imageUploadPath, imageUploadsPath, parseImageTreePath } from './paths.js';

export type ImageData = Record<string, string>;

export interface ImageDataOptions {
  /** requests in flight; default 256 */
  concurrency?: number;
}

export async function exportImageData(zk: Zk, options: ImageDataOptions = {}): Promise<ImageData> {
  const images = await readRawImageTree(new LimitedReader(zk, options.concurrency));
  return Object.fromEntries(images.flatMap(toEntries));
}

/** The export file's text: Python's json.dumps of the dict (no trailing newline, as json.dump writes it). */
export function serializeImageData(data: ImageData): string {
  return pythonJsonDumps(data);
}

/** Reads an export file's text; ModelError KILN_IMPORT_INVALID unless it is an object of strings with image-tree paths. */
export function parseImageData(text: string): ImageData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ModelError('KILN_IMPORT_INVALID', `image data is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelError('KILN_IMPORT_INVALID', 'image data must be a JSON object mapping znode paths to strings');
  }
  const data = value as Record<string, unknown>;
  for (const [path, content] of Object.entries(data)) {
    if (typeof content !== 'string') throw new ModelError('KILN_IMPORT_INVALID', `image data for ${path} is not a string`);
  }
  checkPaths(data as ImageData);
  return data as ImageData;
}

/**
 * Writes an export into ZooKeeper (daemons stopped). ZooKeeper hands out a
 * sequence number per parent from a counter of child creations, which a
 * restore by plain creates would not advance: the next upload would collide
 * with a restored one. So for each upload parent, sequence nodes are created
 * (and deleted unless imported) until the counter reaches the highest
 * imported id, then every path is created or overwritten. Build ids are
 * uuids, which need no counter; a legacy 10-digit build id is restored as
 * is (Kiln never creates sequential builds). Meant for an empty tree, as
 * upstream's: existing upload nodes in the way of the counter make it fail
 * with KILN_ZK_NODE_EXISTS.
 */
export async function importImageData(zk: Zk, data: ImageData, options: ImageDataOptions = {}): Promise<void> {
  checkPaths(data);
  const limit = createLimiter(options.concurrency);
  const highest = highestUploadIds(data);
  await Promise.all([...highest].map(([parent, top]) => advanceSequence(zk, limit, parent, top, data)));
  await Promise.all(Object.entries(data).map(([path, content]) => limit(() => createOrSet(zk, path, content))));
}

// --- export -------------------------------------------------------------------

function toEntries(image: RawImage): Array<[string, string]> {
  const entries: Array<[string, string]> = image.pause ? [[imagePausePath(image.name), '']] : [];
  const builds = [...image.builds].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const build of builds) {
    entries.push([imageBuildPath(image.name, build.id), build.data.toString('utf8')]);
    for (const provider of build.providers) {
      const uploads = [...provider.uploads].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const upload of uploads) {
        entries.push([imageUploadPath(image.name, build.id, provider.name, upload.id), upload.data.toString('utf8')]);
      }
    }
  }
  return entries;
}

// --- import -------------------------------------------------------------------

function checkPaths(data: ImageData): void {
  for (const path of Object.keys(data)) {
    if (parseImageTreePath(path) === null) {
      throw new ModelError('KILN_IMPORT_INVALID', `image data holds ${JSON.stringify(path)}, which is not a build, upload or pause path`);
    }
  }
}

/** Upload parent (`…/providers/<p>/images`) → highest imported upload id. */
function highestUploadIds(data: ImageData): Map<string, number> {
  const highest = new Map<string, number>();
  for (const path of Object.keys(data)) {
    const parsed = parseImageTreePath(path);
    if (parsed?.kind !== 'upload') continue;
    const parent = imageUploadsPath(parsed.image, parsed.buildId, parsed.provider);
    highest.set(parent, Math.max(highest.get(parent) ?? 0, Number(parsed.uploadId)));
  }
  return highest;
}

/**
 * Upstream creates `top` sequence nodes (0 … top-1 in a fresh parent), then
 * the imported nodes; the counter ends one past `top` and the next upload
 * (after the upload lock's own creation) gets top + 2. Looping on the
 * returned numbers gives the same result and also works on a parent that
 * already has a counter.
 */
async function advanceSequence(zk: Zk, limit: Limiter, parent: string, top: number, data: ImageData): Promise<void> {
  let last = -1;
  while (last < top - 1) {
    const created = await limit(() => zk.create(`${parent}/`, '', { mode: 'persistent_sequential', makeParents: true }));
    last = Number(created.slice(created.lastIndexOf('/') + 1));
    // A node that is part of the import stays; its data is set below.
    if (!Object.hasOwn(data, created)) await limit(() => zk.delete(created));
  }
}

async function createOrSet(zk: Zk, path: string, content: string): Promise<void> {
  try {
    await zk.create(path, content, { makeParents: true });
  } catch (err) {
    if (!isKilnError(err, 'KILN_ZK_NODE_EXISTS')) throw err;
    await zk.set(path, content);
  }
}
