import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildSandbox } from './support/build-sandbox.js';

/**
 * A real debian-minimal build (network to the Debian mirror; ~1-2 min cold).
 * First build: cold cache, kept as a tree to inspect. Second build: warm
 * (base root from the cache) through disk assembly to a bootable raw disk.
 */
describe('debian-minimal', () => {
  let sandbox: BuildSandbox;
  let tree: string;
  let cold: Awaited<ReturnType<BuildSandbox['build']>>;
  const env = { DIB_RELEASE: 'bookworm' };

  beforeAll(async () => {
    sandbox = await BuildSandbox.create('kiln-debian-');
    cold = await sandbox.build(['--tree-only', '--no-tmpfs', '-o', join(sandbox.outDir, 'debian'), 'debian-minimal', 'openssh-server'], env);
    tree = join(sandbox.outDir, 'debian.tree');
  }, 900_000);
  afterAll(async () => {
    await sandbox.dispose();
  }, 120_000);

  it('builds a Debian tree with systemd, a kernel and one initramfs', () => {
    if (cold.exitCode !== 0) throw new Error(cold.output);
    expect(readFileSync(join(tree, 'etc/os-release'), 'utf8')).toMatch(/VERSION_CODENAME=bookworm/);
    expect(existsSync(join(tree, 'sbin/init'))).toBe(true);
    const boot = readdirSync(join(tree, 'boot'));
    expect(boot.filter((f) => f.startsWith('vmlinuz-'))).toHaveLength(1);
    expect(boot.filter((f) => f.startsWith('initrd.img-'))).toHaveLength(1);
    // initramfs generated once at the end: the stub and its diversion are gone
    expect(readFileSync(join(tree, 'usr/sbin/update-initramfs'), 'utf8')).not.toContain('kiln: deferred');
    expect(existsSync(join(tree, 'usr/sbin/update-initramfs.kiln-real'))).toBe(false);
    expect(cold.output).toContain('Saving the base root');
  });

  it('installs element packages and removes the build-time settings', () => {
    expect(existsSync(join(tree, 'usr/sbin/sshd'))).toBe(true);
    expect(readdirSync(join(tree, 'etc/ssh')).filter((f) => f.startsWith('ssh_host_'))).toEqual([]);
    expect(existsSync(join(tree, 'usr/sbin/policy-rc.d'))).toBe(false);
    expect(existsSync(join(tree, 'etc/dpkg/dpkg.cfg.d/kiln-unsafe-io'))).toBe(false);
    expect(readdirSync(join(tree, 'var/cache/apt/archives')).filter((f) => f.endsWith('.deb'))).toEqual([]);
    expect(statSync(join(tree, 'etc/machine-id')).size).toBe(0);
    expect(existsSync(join(tree, 'etc/resolv.conf.ORIG'))).toBe(false);
  });

  it('writes the dpkg manifest next to the image', () => {
    const manifest = readFileSync(join(sandbox.outDir, 'debian.d', 'dib-manifests', 'dib-manifest-dpkg-debian'), 'utf8');
    expect(manifest).toMatch(/^openssh-server \S+ amd64$/m);
    expect(manifest).toMatch(/^linux-image-amd64 /m);
  });

  it('builds again from the cached base root, through disk assembly, leaving nothing behind', async () => {
    const out = join(sandbox.outDir, 'debian-vm');
    const warm = await sandbox.build(['-t', 'raw', '--no-tmpfs', '-o', out, 'vm', 'debian-minimal'], env);
    if (warm.exitCode !== 0) throw new Error(warm.output);
    expect(warm.output).toContain('Using the cached base root');
    expect(statSync(`${out}.raw`).size).toBeGreaterThan(512 * 1024 * 1024);
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
  }, 600_000);
});
