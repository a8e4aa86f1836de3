/**
 * A cheap token that changes when nodepool.yaml or the secure file changes, for
 * reload detection (upstream compares st_mtime_ns of both files). The inode and
 * size are included too: a file replaced by rename with its mtime preserved
 * (`cp -p`, Kubernetes ConfigMap symlink swaps) still changes the token. A
 * missing file yields "missing", so its reappearance is a change as well.
 */
import { stat } from 'node:fs/promises';

export async function configFingerprint(configPath: string, securePath?: string | null): Promise<string> {
  const parts = [await fileToken(configPath)];
  if (securePath) parts.push(await fileToken(securePath));
  return parts.join('|');
}

async function fileToken(path: string): Promise<string> {
  try {
    const st = await stat(path, { bigint: true });
    return `${st.ino}:${st.mtimeNs}:${st.size}`;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
}
