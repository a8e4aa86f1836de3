/**
 * Which gzip compresses the tgz: DIB_GZIP_BIN when set (as DIB), else `pigz`
 * when it is installed (same gzip format, every core: gzip alone is the
 * slowest output on a big tree), else `gzip`.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export function gzipCommand(env: Record<string, string>, searchPath = process.env.PATH ?? ''): string {
  if (env.DIB_GZIP_BIN) return env.DIB_GZIP_BIN;
  return onPath('pigz', searchPath) ? 'pigz' : 'gzip';
}

function onPath(name: string, searchPath: string): boolean {
  return searchPath.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
