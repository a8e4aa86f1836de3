/**
 * The builder's local image files (upstream DibImageFile and the cleanup
 * worker's LOCAL_BUILDS_RE): `<images-dir>/<image>-<build_id>.<ext>` with
 * optional `.md5`/`.sha256` beside each, and the manifest dir `<…>.d/`.
 * Discovery goes by file extension, not by the `.d` directory, so custom
 * `dib-cmd` tools work. Only this builder's own directory is ever touched.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalImageFile {
  /** extension without the dot: qcow2, raw, vhd, tar, … */
  format: string;
  path: string;
}

export interface LocalBuild {
  image: string;
  buildId: string;
  /** `<images-dir>/<image>-<build_id>` (no extension) */
  base: string;
  files: LocalImageFile[];
}

// upstream CleanupWorker.LOCAL_BUILDS_RE: ^(.*)-([abcdef\d]+)\.(?:\w+)$
const LOCAL_BUILD = /^(.*)-([a-f\d]+)\.(\w+)$/;
const CHECKSUM_EXT = new Set(['md5', 'sha256']);

/** Every local build, grouped by (image, build id), image files only (no checksums). */
export async function scanLocalBuilds(imagesDir: string): Promise<LocalBuild[]> {
  const entries = await readdir(imagesDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const builds = new Map<string, LocalBuild>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const match = LOCAL_BUILD.exec(entry.name);
    if (!match) continue;
    const [, image, buildId, format] = match as unknown as [string, string, string, string];
    // `<base>.qcow2.md5` rarely matches the pattern (the part before `.md5` is
    // not hex), but never count a checksum file as an image format.
    if (CHECKSUM_EXT.has(format)) continue;
    const key = `${image}-${buildId}`;
    let build = builds.get(key);
    if (!build) {
      build = { image, buildId, base: join(imagesDir, key), files: [] };
      builds.set(key, build);
    }
    build.files.push({ format, path: join(imagesDir, entry.name) });
  }
  for (const build of builds.values()) build.files.sort((a, b) => a.format.localeCompare(b.format));
  return [...builds.values()];
}

/** The files of one build, or null when this builder has none. */
export async function findLocalBuild(imagesDir: string, image: string, buildId: string): Promise<LocalBuild | null> {
  const all = await scanLocalBuilds(imagesDir);
  return all.find((b) => b.image === image && b.buildId === buildId) ?? null;
}

/** Checksums from `<file>.md5` / `<file>.sha256`: the first 32 / 64 characters (drops DIB's `  filename` tail). */
export async function readChecksums(file: string): Promise<{ md5?: string; sha256?: string }> {
  const read = async (ext: string, length: number): Promise<string | undefined> => {
    const text = await readFile(`${file}.${ext}`, 'utf8').catch(() => undefined);
    const value = text?.trim().slice(0, length);
    return value && value.length === length ? value : undefined;
  };
  const [md5, sha256] = await Promise.all([read('md5', 32), read('sha256', 64)]);
  return { ...(md5 ? { md5 } : {}), ...(sha256 ? { sha256 } : {}) };
}

/** Removes one format of a build with its checksum files (delete-after-upload pruning). */
export async function deleteLocalFormat(file: LocalImageFile): Promise<void> {
  await Promise.all([file.path, `${file.path}.md5`, `${file.path}.sha256`].map((p) => rm(p, { force: true })));
}

/** Removes every file of a build, its checksums and its `.d` manifest dir (upstream deleteLocalBuild). */
export async function deleteLocalBuild(build: LocalBuild): Promise<void> {
  await Promise.all(build.files.map(deleteLocalFormat));
  await rm(`${build.base}.d`, { recursive: true, force: true });
}
