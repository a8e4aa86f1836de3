/**
 * A real, bootable Debian bookworm root tree for the assembly tests and the
 * benchmark: debootstrap minbase + linux-image-amd64 + systemd-sysv (toolchain.md
 * §6). Building it costs 1-2 minutes of network and dpkg time, so the finished
 * tree is cached as a tarball outside git, keyed by the recipe; reruns unpack it
 * in a few seconds. The mirror is read from the host's apt sources at run time.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile, access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const RECIPE = [
  'debootstrap --variant=minbase bookworm',
  'apt-get install --no-install-recommends linux-image-amd64 systemd-sysv',
  'clean lists, passwd -d root, hostname kiln-test',
  'v1',
].join('\n');

export function testCacheDir(): string {
  return process.env.KILN_TEST_CACHE ?? join(homedir(), '.cache', 'kiln-test');
}

/** Unpacks the cached Debian tree into `dest` (an empty directory), building the cache first if needed. */
export async function debianTree(dest: string, log: (line: string) => void = () => {}): Promise<void> {
  const tarball = await ensureDebianTarball(log);
  await execa('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-xpf', tarball, '-C', dest]);
}

export async function ensureDebianTarball(log: (line: string) => void = () => {}): Promise<string> {
  const key = createHash('sha256').update(RECIPE).digest('hex').slice(0, 12);
  const dir = testCacheDir();
  const tarball = join(dir, `debian-bookworm-vm-${key}.tar.zst`);
  if (await exists(tarball)) return tarball;
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, 'build-'));
  try {
    const root = join(work, 'root');
    await mkdir(root);
    log(`building the Debian test tree (cache miss: ${tarball})`);
    await buildTree(root);
    const partial = join(work, 'tree.tar.zst');
    await execa('tar', ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--zstd', '-cpf', partial, '-C', root, '.']);
    await rename(partial, tarball);
    return tarball;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function buildTree(root: string): Promise<void> {
  const mirror = await debianMirror();
  await execa('debootstrap', ['--variant=minbase', 'bookworm', root, mirror]);
  const mounts: string[] = [];
  try {
    for (const [args, target] of [
      [['-t', 'proc', 'proc'], 'proc'],
      [['-t', 'sysfs', 'sys'], 'sys'],
      [['--bind', '/dev'], 'dev'],
      [['--bind', '/dev/pts'], 'dev/pts'],
    ] as const) {
      await execa('mount', [...args, join(root, target)]);
      mounts.unshift(join(root, target));
    }
    // policy-rc.d keeps package scripts from starting services on the host.
    await writeFile(join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    await execa('chroot', [root, 'apt-get', 'install', '-y', '--no-install-recommends', 'linux-image-amd64', 'systemd-sysv'], {
      env: { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },
    });
    await execa('chroot', [root, 'apt-get', 'clean']);
    await execa('chroot', [root, 'passwd', '-d', 'root']);
  } finally {
    for (const m of mounts) await execa('umount', [m]).catch(() => execa('umount', ['-l', m]));
  }
  await rm(join(root, 'usr/sbin/policy-rc.d'), { force: true });
  for (const f of await readdir(join(root, 'var/lib/apt/lists'))) {
    if (f !== 'partial' && f !== 'lock') await rm(join(root, 'var/lib/apt/lists', f), { recursive: true, force: true });
  }
  await writeFile(join(root, 'etc/hostname'), 'kiln-test\n');
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1 localhost\n127.0.1.1 kiln-test\n');
}

/** The first Debian mirror URI of the host's apt sources (never hard-coded, see common.md). */
export async function debianMirror(): Promise<string> {
  const dir = '/etc/apt/sources.list.d';
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.sources')).map((f) => join(dir, f));
  for (const file of files) {
    const m = /^URIs:\s*(\S+)/m.exec(await readFile(file, 'utf8'));
    if (m?.[1] && !m[1].includes('security')) return m[1];
  }
  const list = await readFile('/etc/apt/sources.list', 'utf8').catch(() => '');
  const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(list);
  if (m?.[1]) return m[1];
  throw new Error('no Debian mirror found in the apt sources');
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
