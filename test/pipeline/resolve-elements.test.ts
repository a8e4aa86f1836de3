import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElements } from '../../src/pipeline/elements/find-elements.js';
import { resolveElements } from '../../src/pipeline/elements/resolve-elements.js';
import { isKilnError } from '../../src/errors/kiln-error.js';

type Spec = Record<string, { deps?: string[]; provides?: string[] }>;

function makeElements(dir: string, spec: Spec): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, { deps, provides }] of Object.entries(spec)) {
    mkdirSync(join(dir, name));
    if (deps) writeFileSync(join(dir, name, 'element-deps'), `${deps.join('\n')}\n\n`);
    if (provides) writeFileSync(join(dir, name, 'element-provides'), `${provides.join('\n')}\n`);
  }
  return dir;
}

const LIBRARY: Spec = {
  base: { deps: ['dib-init-system', 'pkg-map'] },
  'dib-init-system': {},
  'pkg-map': {},
  'debian-minimal': { deps: ['debootstrap'], provides: ['operating-system'] },
  'ubuntu-minimal': { deps: ['debootstrap'], provides: ['operating-system'] },
  debootstrap: { deps: ['dpkg'] },
  dpkg: {},
  vm: { deps: ['block-device', 'bootloader'] },
  bootloader: {},
  'block-device-mbr': { provides: ['block-device'] },
  'block-device-gpt': { provides: ['block-device'] },
  'block-device-efi': { provides: ['block-device'] },
  'needs-virtual': { deps: ['some-virtual'] },
  'provides-virtual': { provides: ['some-virtual'] },
};

describe('element resolution', () => {
  let dir: string;
  let available: ReturnType<typeof findElements>['elements'];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-elements-'));
    available = findElements([makeElements(join(dir, 'lib'), LIBRARY)]).elements;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const resolve = (names: string[], arch = 'amd64'): string[] => resolveElements(names, available, { arch }).map((e) => e.name);
  const errorOf = (names: string[]): { code: string; message: string } => {
    try {
      resolve(names);
    } catch (err) {
      if (isKilnError(err)) return { code: err.code, message: err.message };
      throw err;
    }
    throw new Error('expected an error');
  };

  it('expands element-deps transitively, sorted by name', () => {
    expect(resolve(['base', 'debian-minimal'])).toEqual(['base', 'debian-minimal', 'debootstrap', 'dib-init-system', 'dpkg', 'pkg-map']);
  });

  it('gives the same answer whatever the request order', () => {
    expect(resolve(['vm', 'debian-minimal', 'base'])).toEqual(resolve(['base', 'debian-minimal', 'vm']));
  });

  it('resolves a virtual dependency through a provider anywhere in the set and drops the virtual name', () => {
    expect(resolve(['debian-minimal', 'needs-virtual', 'provides-virtual'])).toEqual([
      'debian-minimal', 'debootstrap', 'dpkg', 'needs-virtual', 'provides-virtual',
    ]);
  });

  it('gives vm block-device-mbr by default (efi on arm64), and respects an explicit choice', () => {
    expect(resolve(['debian-minimal', 'vm'])).toContain('block-device-mbr');
    expect(resolve(['debian-minimal', 'vm'], 'arm64')).toContain('block-device-efi');
    const gpt = resolve(['debian-minimal', 'vm', 'block-device-gpt']);
    expect(gpt).toContain('block-device-gpt');
    expect(gpt).not.toContain('block-device-mbr');
  });

  it("reports DIB's missing-element error", () => {
    expect(errorOf(['debian-minimal', 'nope'])).toEqual({ code: 'KILN_ELEMENT_NOT_FOUND', message: "Element 'nope' not found" });
    expect(errorOf(['debian-minimal', 'needs-virtual']).message).toBe("Element 'some-virtual' not found");
  });

  it("reports DIB's provided-twice errors", () => {
    expect(errorOf(['debian-minimal', 'ubuntu-minimal'])).toEqual({
      code: 'KILN_ELEMENT_ALREADY_PROVIDED',
      message: "operating-system: already provided by ['debian-minimal']",
    });
    expect(errorOf(['debian-minimal', 'block-device-mbr', 'block-device-gpt']).message).toBe(
      "block-device: already provided by ['block-device-gpt']",
    );
  });

  it("reports DIB's missing operating system error", () => {
    expect(errorOf(['base'])).toEqual({ code: 'KILN_ELEMENT_NO_OS', message: 'Please include an operating system element' });
  });

  it('lets earlier ELEMENTS_PATH entries override later ones, naming elements by their real path', () => {
    const user = makeElements(join(dir, 'user'), { dpkg: { deps: ['pkg-map'] } });
    symlinkSync(join(dir, 'lib', 'bootloader'), join(user, 'linked'));
    const found = findElements([user, join(dir, 'lib')]);
    expect(found.elements.get('dpkg')?.path).toBe(join(user, 'dpkg'));
    expect(found.elements.get('dpkg')?.deps).toEqual(['pkg-map']);
    expect(found.elements.has('linked')).toBe(false);
    expect(found.overrides.some((l) => l.startsWith('Element dpkg'))).toBe(true);
  });

  it('rejects an ELEMENTS_PATH entry that is not a directory', () => {
    expect(() => findElements([join(dir, 'missing')])).toThrow(/is not a directory/);
  });
});
