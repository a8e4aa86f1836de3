import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { squashPackageInstalls } from '../../src/pipeline/packages/package-installs.js';

describe('package-installs squash', () => {
  let dir: string;
  const element = (name: string, files: Record<string, string>): { name: string; path: string } => {
    const path = join(dir, name);
    mkdirSync(path, { recursive: true });
    for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
    return { name, path };
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-pkg-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('maps names through the element pkg-map (release > distro > family > default, "" drops)', () => {
    const el = element('web', {
      'package-installs.yaml': 'httpd:\ntool:\ndropped:\nplain:\n',
      'pkg-map': JSON.stringify({
        default: { tool: 'tool-generic' },
        family: { debian: { httpd: 'apache2', tool: 'tool-deb' } },
        distro: { debian: { dropped: '' } },
        release: { debian: { bookworm: { tool: 'tool-bookworm' } } },
      }),
    });
    const ops = squashPackageInstalls([el], { DISTRO_NAME: 'debian', DIB_RELEASE: 'bookworm', ARCH: 'amd64' });
    expect(ops.map((o) => o.pkg)).toEqual(['apache2', 'tool-bookworm', 'plain']);
    const ubuntu = squashPackageInstalls([el], { DISTRO_NAME: 'ubuntu', DIB_RELEASE: 'noble', ARCH: 'amd64' });
    expect(ubuntu.map((o) => o.pkg)).toEqual(['apache2', 'tool-deb', 'dropped', 'plain']);
  });

  it('reads .json too, honours phases, list values and installtype', () => {
    const el = element('mixed', {
      'package-installs.json': JSON.stringify({
        a: { phase: 'post-install.d' },
        b: [{ arch: 'arm64' }, { arch: 'amd64', phase: 'pre-install.d' }],
        c: { installtype: 'package' },
      }),
    });
    const env = { ARCH: 'amd64', DISTRO_NAME: 'debian' };
    expect(squashPackageInstalls([el], env)).toEqual([
      { phase: 'post-install.d', op: 'install', pkg: 'a', element: 'mixed' },
      { phase: 'pre-install.d', op: 'install', pkg: 'b', element: 'mixed' },
    ]);
    expect(squashPackageInstalls([el], { ...env, DIB_INSTALLTYPE_mixed: 'package' }).map((o) => o.pkg)).toContain('c');
  });

  it('rejects a when condition on an unset variable and arch together with not-arch', () => {
    const when = element('when', { 'package-installs.yaml': 'x:\n  when: DIB_UNSET_THING=1\n' });
    expect(() => squashPackageInstalls([when], { ARCH: 'amd64' })).toThrow(/DIB_UNSET_THING, which is not set/);
    const both = element('both', { 'package-installs.yaml': 'x:\n  arch: amd64\n  not-arch: arm64\n' });
    expect(() => squashPackageInstalls([both], { ARCH: 'amd64' })).toThrow(/both arch and not-arch/);
  });
});
