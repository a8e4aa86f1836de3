/**
 * Build logs: `<build-log-dir>/<image>-<build_id>.log`, and upstream's
 * retention (_pruneBuildLogs, before each build): files whose names start with
 * the image name, newest `max(retention, 1)` by mtime kept, the rest deleted;
 * -1 keeps everything. Upstream's prefix match is kept (image `ubuntu` also
 * counts `ubuntu-jammy-*.log`), documented in nodepool-compat.md 4.4, since
 * operators size their log disks by it.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export function buildLogPath(buildLogDir: string, image: string, buildId: string): string {
  return join(buildLogDir, `${image}-${buildId}.log`);
}

export async function pruneBuildLogs(buildLogDir: string, image: string, retention: number): Promise<string[]> {
  if (retention === -1) return [];
  await mkdir(buildLogDir, { recursive: true });
  const names = (await readdir(buildLogDir)).filter((name) => name.startsWith(image));
  const withTimes = await Promise.all(
    names.map(async (name) => {
      const st = await stat(join(buildLogDir, name)).catch(() => null);
      return st?.isFile() ? { name, mtime: st.mtimeMs } : null;
    }),
  );
  const files = withTimes.filter((f): f is { name: string; mtime: number } => f !== null).sort((a, b) => b.mtime - a.mtime);
  const doomed = files.slice(Math.max(retention, 1)).map((f) => join(buildLogDir, f.name));
  await Promise.all(doomed.map((path) => rm(path, { force: true })));
  return doomed;
}
