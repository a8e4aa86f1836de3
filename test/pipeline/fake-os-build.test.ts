import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BuildSandbox, FIXTURE_ELEMENTS } from './support/build-sandbox.js';
import { builtinElementsDir } from '../../src/pipeline/paths.js';

/**
 * fake-os through the whole pipeline (to the tree: --tree-only), with test
 * elements recording where and in which order their scripts ran, what
 * environment they saw, and a DIB-style element written like upstream ones.
 */
describe('fake-os build through every phase', () => {
  let sandbox: BuildSandbox;
  let result: Awaited<ReturnType<BuildSandbox['build']>>;
  let tree: string;
  const read = (path: string): string => readFileSync(join(tree, path), 'utf8');

  beforeAll(async () => {
    sandbox = await BuildSandbox.create();
    result = await sandbox.build(
      ['--tree-only', '-t', 'tar', '--logfile', join(sandbox.root, 'build.log'), '-o', join(sandbox.outDir, 'img'), '-p', 'extra-one,extra-two', 'fake-os', 'phase-recorder', 'dib-style'],
      { DIB_STYLE_FLAG: 'yes', SOME_API_TOKEN: 'sekrit', DIB_SECRET_PASSWORD: 'hunter2', DIB_CUSTOM: 'visible' },
    );
    tree = join(sandbox.outDir, 'img.tree');
  }, 120_000);
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('succeeds and keeps the tree', () => {
    if (result.exitCode !== 0) throw new Error(result.output);
    expect(result.treeDir).toBe(tree);
    expect(existsSync(join(tree, 'fake-os'))).toBe(true);
  });

  it('runs every phase in DIB order with DIB placement', () => {
    const lines = read('phase-record').trim().split('\n');
    expect(lines).toEqual([
      'root 50-record-root host',
      'extra-data 50-record-extra-data host',
      'pre-install 50-record-pre-install chroot',
      'install 7-record-install-early chroot',
      'install 50-record-install chroot',
      'install 100-record-install-late chroot',
      'post-install 50-record-post-install chroot',
      'post-root 50-record-post-root host',
      'block-device 50-record-block-device host',
      'pre-finalise 50-record-pre-finalise host',
      'finalise 50-record-finalise chroot',
      'cleanup 50-record-cleanup host',
    ]);
  });

  it('gives chroot scripts the DIB environment contract', () => {
    const env = Object.fromEntries(
      read('env-record-chroot')
        .trim()
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env.ARCH).toBe('amd64');
    expect(env.IMAGE_NAME).toBe(join(sandbox.outDir, 'img'));
    expect(env.IMAGE_ELEMENT?.split(' ')).toEqual(
      expect.arrayContaining(['base', 'fake-os', 'phase-recorder', 'dib-style', 'install-static', 'package-installs']),
    );
    expect(env.ELEMENTS_PATH).toBe(`${FIXTURE_ELEMENTS}:${builtinElementsDir()}`);
    expect(env.TMP_MOUNT_PATH).toMatch(/\/dib_build\.[^/]+\/mnt$/);
    expect(env.TMP_HOOKS_PATH).toMatch(/\/dib_build\.[^/]+\/hooks$/);
    expect(env.DIB_IMAGE_CACHE).toBe(join(sandbox.root, 'cache'));
    expect(env.DISTRO_NAME).toBe('fake-os');
    expect(env.DIB_DEFAULT_INSTALLTYPE).toBe('source');
    expect(env.IMAGE_TYPE).toBe('tar');
    expect(env.DIB_ROOT_LABEL).toBe('cloudimg-rootfs');
    expect(env.FS_TYPE).toBe('ext4');
    expect(env.LC_ALL).toBe('C');
    expect(env.HOME).toBe('/root');
    expect(env.PATH).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(env.TARGET_ROOT).toBe('<unset>');
    expect(env.TMPDIR).toBe('<unset>');
    expect(env.die).toBe('function');
    expect(env['fake-os-path']).toBe(join(builtinElementsDir(), 'fake-os'));
  });

  it('gives root.d TARGET_ROOT and $_LIB helpers on the host', () => {
    const env = read('env-record-root');
    expect(env).toMatch(/^TARGET_ROOT=\/.*\/mnt$/m);
    expect(env).toContain('lib-die=present');
  });

  it('runs an unmodified DIB-style element: environment.d, $_LIB, hooks data, bin/, static/, package-installs', () => {
    expect(read('etc/dib-style-greeting').trim()).toBe('hello from dib-style');
    expect(read('etc/dib-style-tool-output').trim()).toBe('dib-style-tool ran');
    expect(read('etc/dib-style/static-file').trim()).toBe('static content');
    expect(read('etc/dib-style-post').trim()).toBe('post-install saw fake-os');
    expect((statSync(join(tree, 'usr/local/bin/dib-style-tool')).mode & 0o777).toString(8)).toBe('755');
    // pre-install.d/02, install.d/01, install.d/99 (uninstall), -p, post-install.d/95 (build-only removal);
    // the ppc64el-only and not-amd64 entries are filtered out, the `when` entry kept
    expect(read('var/lib/fake-os/packages').trim().split('\n')).toEqual([
      'install dib-style-early',
      'install dib-style-pkg',
      'install dib-style-flagged',
      'install dib-style-buildtool',
      'remove dib-style-removed',
      'install extra-one',
      'install extra-two',
      'remove dib-style-buildtool',
    ]);
  });

  it('writes the manifests dir with the arguments and a filtered environment', () => {
    const manifests = join(sandbox.outDir, 'img.d', 'dib-manifests');
    expect(readFileSync(join(manifests, 'dib_arguments'), 'utf8')).toContain('phase-recorder dib-style');
    const env = readFileSync(join(manifests, 'dib_environment'), 'utf8');
    expect(env).toContain('declare -x DIB_CUSTOM="visible"');
    expect(env).toContain('DIB_SECRET_PASSWORD="<filtered>"');
    expect(env).not.toContain('hunter2');
    expect(env).not.toContain('sekrit');
  });

  it('writes the whole log to --logfile and only progress to stdout', () => {
    const log = readFileSync(join(sandbox.root, 'build.log'), 'utf8');
    expect(log).toContain('dib-run-parts Running /tmp/in_target.d/install.d/50-record-install');
    expect(log).toContain('phase install.d (chroot) started');
    expect(result.output).toContain('phase install.d (chroot) started');
    expect(result.output).not.toContain('dib-run-parts Running');
  });

  it('reports per-phase and per-script timings', () => {
    const names = result.timings.map((t) => `${t.kind}:${t.name}`);
    expect(names).toEqual(expect.arrayContaining(['phase:root', 'phase:install', 'script:install.d/50-record-install', 'step:hooks']));
  });

  it('leaves no mounts, build dirs or state files, and cleans the tree of build traces', async () => {
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
    expect(existsSync(join(tree, 'tmp', 'in_target.d'))).toBe(false);
    expect(existsSync(join(tree, 'tmp', 'package-installs.txt'))).toBe(false);
  });
});
