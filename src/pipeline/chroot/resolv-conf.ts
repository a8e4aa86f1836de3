import { lstat, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * DIB's resolv.conf contract: during the build the image uses the host's
 * resolver; the image's own file is kept as resolv.conf.ORIG and restored at
 * the end. A symlinked resolv.conf (systemd-resolved) is left alone.
 */
export async function swapInHostResolvConf(root: string): Promise<void> {
  const target = join(root, 'etc', 'resolv.conf');
  const info = await lstat(target).catch(() => undefined);
  if (info?.isSymbolicLink()) return;
  if (info) await rename(target, `${target}.ORIG`);
  const host = await readFile('/etc/resolv.conf', 'utf8').catch(() => 'nameserver 8.8.8.8\n');
  await writeFile(target, host).catch(() => undefined); // no etc/ yet: nothing to resolve with anyway
}

export async function restoreResolvConf(root: string): Promise<void> {
  const target = join(root, 'etc', 'resolv.conf');
  const info = await lstat(target).catch(() => undefined);
  if (info?.isSymbolicLink()) return;
  const orig = `${target}.ORIG`;
  if (await lstat(orig).then(() => true, () => false)) {
    await rename(orig, target);
  } else if (info) {
    await rm(target, { force: true });
  }
}

