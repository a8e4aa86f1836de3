import { readdir, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { restoreResolvConf } from '../chroot/resolv-conf.js';

/**
 * DIB's finalise_base: the build's traces out of the image: the original
 * resolv.conf back, an empty /tmp, emptied log files, no *.log in root's home.
 */
export async function finaliseBase(root: string): Promise<void> {
  await restoreResolvConf(root);
  const tmp = join(root, 'tmp');
  for (const entry of await readdir(tmp).catch(() => [] as string[])) {
    await execa('rm', ['-rf', '--one-file-system', join(tmp, entry)], { reject: false });
  }
  await truncateLogs(join(root, 'var', 'log'));
  for (const entry of await readdir(join(root, 'root')).catch(() => [] as string[])) {
    if (entry.endsWith('.log')) await rm(join(root, 'root', entry), { force: true });
  }
}

async function truncateLogs(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await truncateLogs(path);
    else if (entry.isFile()) await truncate(path, 0).catch(() => undefined);
  }
}
