import { loadConfig } from '../../src/config/load-config.js';
import { fixture, testEnv, useTempConfigDir } from './temp-config.js';

describe('diskimage inheritance (upstream setFromConfig rules)', () => {
  const load = () => loadConfig(fixture('inheritance.yaml'), { env: testEnv() });

  test('abstract images are not images, but serve as parents', async () => {
    const { diskimages } = await load();
    expect([...diskimages.keys()]).toEqual(['child-image', 'child-overrides', 'standalone']);
  });

  test('the chain applies root first: elements append, env-vars update, release becomes a string', async () => {
    const child = (await load()).diskimages.get('child-image');
    expect(child?.elements.join(' ')).toBe('a b c');
    // parent's `release: 21` (a YAML int) → "21"
    expect(child?.release).toBe('21');
    expect(child?.envVars).toEqual({ foo: 'bar', shared: 'from-middle', baz: 'qux' });
    // the child overrides dib-cmd; the rest comes from the ancestors
    expect(child?.dibCmd).toBe('/usr/local/bin/my-dib');
    expect(child?.username).toBe('middle-user');
    expect(child?.configuredFormats).toEqual(['qcow2']);
    expect(child?.formats).toEqual(['qcow2']);
    expect(child?.keepFormats).toEqual(['qcow2']);
    expect(child?.deleteAfterUpload).toBe(true);
    expect(child?.rebuildAge).toBe(100);
    expect(child?.pause).toBe(true);
  });

  test('quirk matched: a child without metadata wipes the parents\' metadata', async () => {
    const { diskimages } = await load();
    expect(diskimages.get('child-image')?.metadata).toEqual({});
    expect(diskimages.get('child-overrides')?.metadata).toEqual({ owner: 'child' });
  });

  test('truthy-only keys: falsy child values do not override (quirk matched)', async () => {
    const image = (await load()).diskimages.get('child-overrides');
    expect(image?.rebuildAge).toBe(100); // rebuild-age: 0 ignored
    expect(image?.pause).toBe(true); // pause: false cannot undo the root's pause: true
    expect(image?.username).toBe('middle-user'); // username: '' ignored
    expect(image?.dibCmd).toBe('disk-image-create');
  });

  test('formats replace (no union along the chain); delete-after-upload applies when present', async () => {
    const image = (await load()).diskimages.get('child-overrides');
    expect(image?.configuredFormats).toEqual(['raw', 'vhd']);
    expect(image?.formats).toEqual(['raw', 'vhd']);
    expect(image?.keepFormats).toEqual(['qcow2']);
    expect(image?.deleteAfterUpload).toBe(false);
    expect(image?.release).toBe('noble');
    expect(image?.elements).toEqual(['a', 'b']);
  });

  test('an image without parent is untouched by the others', async () => {
    const image = (await load()).diskimages.get('standalone');
    expect(image).toMatchObject({ elements: ['x'], release: '', envVars: {}, pause: false, rebuildAge: 86400 });
  });

  describe('release and the Kiln extensions', () => {
    const tmp = useTempConfigDir();

    test('release is str()-ed as Python does: floats keep their ".0", 0 counts as unset', async () => {
      const path = await tmp.current().write(
        'np.yaml',
        [
          'diskimages:',
          '  - {name: int, release: 9}',
          '  - {name: float, release: 10.0}',
          '  - {name: decimal, release: 22.04}',
          '  - {name: trailing, release: 20.10}',
          '  - {name: zero, release: 0}',
          '  - {name: quoted, release: "10.0"}',
          '',
        ].join('\n'),
      );
      const { diskimages } = await loadConfig(path, { env: tmp.current().env() });
      const releases = Object.fromEntries([...diskimages.values()].map((d) => [d.name, d.release]));
      expect(releases).toEqual({ int: '9', float: '10.0', decimal: '22.04', trailing: '20.1', zero: '', quoted: '10.0' });
    });

    test('builder-labels and boot-test are inherited, and a child can turn them off', async () => {
      const path = await tmp.current().write(
        'np.yaml',
        [
          'diskimages:',
          '  - name: base',
          '    abstract: true',
          '    builder-labels: [fast-disk]',
          '    boot-test: {timeout: 600}',
          '  - name: inherits',
          '    parent: base',
          '  - name: opts-out',
          '    parent: base',
          '    builder-labels: []',
          '    boot-test: false',
          '  - name: own',
          '    boot-test: {expect: "^debian login:", firmware: uefi, block-size: 4096}',
          '',
        ].join('\n'),
      );
      const { diskimages } = await loadConfig(path, { env: tmp.current().env() });
      expect(diskimages.get('inherits')).toMatchObject({
        builderLabels: ['fast-disk'],
        bootTest: { timeoutSeconds: 600, expect: 'login:', firmware: 'bios', blockSize: 512 },
      });
      expect(diskimages.get('opts-out')).toMatchObject({ builderLabels: [], bootTest: null });
      expect(diskimages.get('own')?.bootTest).toEqual({ timeoutSeconds: 300, expect: '^debian login:', firmware: 'uefi', blockSize: 4096 });
    });
  });
});
