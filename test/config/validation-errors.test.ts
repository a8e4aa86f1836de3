import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { useTempConfigDir } from './temp-config.js';

/** Each error's exact text: operators and scripts read these. */
describe('validation error messages', () => {
  const tmp = useTempConfigDir();

  async function errorLines(yaml: string): Promise<string[]> {
    const path = await tmp.current().write('nodepool.yaml', yaml);
    const err = await loadConfig(path, { env: tmp.current().env() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
    expect(err.code).toBe('KILN_CONFIG_INVALID');
    expect(err.file).toBe(path);
    // every line names the file; the test compares the rest
    return err.message.split('\n').map((line) => {
      expect(line.startsWith(`${path}: `)).toBe(true);
      return line.slice(path.length + 2);
    });
  }

  test('unknown top-level key', async () => {
    expect(await errorLines('images-dir: /x\nimage-dir: /y\n')).toEqual([
      'unknown key "image-dir"; allowed: elements-dir, images-dir, build-log-dir, build-log-retention, ' +
        'zookeeper-servers, zookeeper-tls, zookeeper-timeout, diskimages, providers, labels, webapp, max-hold-age, ' +
        'tenant-resource-limits',
    ]);
  });

  test('unknown diskimage key', async () => {
    expect(await errorLines('diskimages:\n  - name: a\n    elemnts: [x]\n')).toEqual([
      'diskimages[0] (name: a): unknown key "elemnts"; allowed: name, abstract, parent, elements, env-vars, release, ' +
        'formats, keep-formats, delete-after-upload, rebuild-age, build-timeout, pause, username, python-path, ' +
        'shell-type, dib-cmd, metadata, builder-labels, boot-test',
    ]);
  });

  test('shell-type is accepted although upstream\'s validator rejects it', async () => {
    const path = await tmp.current().write('np.yaml', 'diskimages:\n  - name: a\n    shell-type: csh\n');
    const config = await loadConfig(path, { env: tmp.current().env() });
    expect(config.diskimages.get('a')?.shellType).toBe('csh');
  });

  test('wrong type', async () => {
    expect(await errorLines('diskimages:\n  - name: a\n  - name: b\n  - name: foo\n    rebuild-age: abc\n')).toEqual([
      'diskimages[2] (name: foo).rebuild-age: must be an integer, got "abc"',
    ]);
  });

  test('bad names: "a/b" and ".."', async () => {
    expect(await errorLines('diskimages:\n  - name: a/b\n  - name: ".."\n')).toEqual([
      'diskimages[0] (name: a/b).name: invalid name "a/b": must not contain "/" (names become file and ZooKeeper node names)',
      'diskimages[1] (name: ..).name: invalid name "..": must not be "." or ".." (names become file and ZooKeeper node names)',
    ]);
  });

  test('bad provider names: empty, control characters, too long', async () => {
    const long = 'p'.repeat(256);
    const yaml = `providers:\n  - {name: "", driver: static}\n  - {name: "a\\tb", driver: static}\n  - {name: ${long}, driver: static}\n`;
    expect(await errorLines(yaml)).toEqual([
      'providers[0].name: invalid name "": must not be empty (names become file and ZooKeeper node names)',
      'providers[1] (name: a\tb).name: invalid name "a\\tb": must not contain control characters (names become file and ZooKeeper node names)',
      `providers[2] (name: ${long}).name: invalid name "${long}": must be at most 255 bytes, got 256 (names become file and ZooKeeper node names)`,
    ]);
  });

  test('missing parent', async () => {
    expect(await errorLines('diskimages:\n  - name: a\n    parent: nope\n')).toEqual([
      'diskimages[0] (name: a).parent: unknown parent diskimage "nope"',
    ]);
  });

  test('inheritance cycles, each reported once', async () => {
    const yaml = 'diskimages:\n  - {name: a, parent: b}\n  - {name: b, parent: a}\n  - {name: c, parent: c}\n  - {name: d, parent: a}\n';
    expect(await errorLines(yaml)).toEqual([
      'diskimages[0] (name: a).parent: inheritance cycle: a -> b -> a',
      'diskimages[2] (name: c).parent: inheritance cycle: c -> c',
    ]);
  });

  test('duplicate diskimage name', async () => {
    expect(await errorLines('diskimages:\n  - name: a\n  - name: b\n  - name: a\n')).toEqual([
      'diskimages[2] (name: a).name: duplicate diskimage name "a" (first defined at diskimages[0])',
    ]);
  });

  test('provider diskimage not in diskimages (or abstract)', async () => {
    const yaml = [
      'diskimages:',
      '  - name: a',
      '  - {name: base, abstract: true}',
      'providers:',
      '  - name: p',
      '    driver: local',
      '    path: /srv/images',
      '    diskimages:',
      '      - name: x',
      '      - name: base',
      '',
    ].join('\n');
    expect(await errorLines(yaml)).toEqual([
      'providers[0] (name: p).diskimages[0].name: unknown diskimage "x"; defined diskimages: a',
      'providers[0] (name: p).diskimages[1].name: diskimage "base" is abstract; only non-abstract diskimages can be used here',
    ]);
  });

  test('OpenStack pool labels must exist in labels; pool diskimages and cloud-images must exist', async () => {
    const yaml = [
      'labels:',
      '  - name: l1',
      'diskimages:',
      '  - name: a',
      'providers:',
      '  - name: p',
      '    cloud: c',
      '    pools:',
      '      - name: main',
      '        labels:',
      '          - {name: l1, diskimage: a}',
      '          - {name: l2, diskimage: zz, cloud-image: ci}',
      '',
    ].join('\n');
    expect(await errorLines(yaml)).toEqual([
      'providers[0] (name: p).pools[0].labels[1].name: label "l2" is not defined in the top-level labels; defined labels: l1',
      'providers[0] (name: p).pools[0].labels[1].diskimage: unknown diskimage "zz"; defined diskimages: a',
      "providers[0] (name: p).pools[0].labels[1].cloud-image: cloud-image \"ci\" is not defined in this provider's cloud-images; defined: (none)",
    ]);
  });

  test('driver schemas: unknown driver, enum, unknown key, missing required key, pattern', async () => {
    const yaml = [
      'providers:',
      '  - {name: p, driver: nope}',
      '  - {name: q, driver: aws, region-name: r, image-format: qcow2}',
      '  - {name: r, cloud: c, rate: abc, bogus: 1}',
      '  - {name: s, driver: local}',
      '  - {name: a_b, driver: ibmvpc, vpc: v, region: r}',
      '',
    ].join('\n');
    expect(await errorLines(yaml)).toEqual([
      'providers[0] (name: p).driver: must be one of: openstack, fake, aws, azure, ibmvpc, local, gce, kubernetes, ' +
        'openshift, openshiftpods, static, metastatic, test, example; got "nope"',
      'providers[1] (name: q).image-format: must be one of: ova, vhd, vhdx, vmdk, raw; got "qcow2"',
      'providers[2] (name: r).rate: must be a number, got "abc"',
      'providers[2] (name: r): unknown key "bogus"; allowed: name, driver, max-concurrency, priority, cloud, ' +
        'region-name, boot-timeout, image-upload-timeout, launch-timeout, launch-retries, nodepool-id, rate, ' +
        'image-name-format, clean-floating-ips, port-cleanup-interval, pools, diskimages, cloud-images, post-upload-hook, upload-method',
      'providers[3] (name: s): missing required key "path"',
      'providers[4] (name: a_b).name: must not contain "_" (ibmvpc provider names), got "a_b"',
    ]);
  });

  test('a provider named fake* is forced to the fake (OpenStack) driver, as upstream', async () => {
    expect(await errorLines('providers:\n  - {name: fake-provider, driver: static}\n')).toEqual([
      'providers[0] (name: fake-provider): missing required key "cloud"',
    ]);
  });

  test('several errors: all reported, the most specific first', async () => {
    const yaml = [
      'zookeeper-servers:',
      '  - port: "x"',
      'zookeeper-tls: {cert: a}',
      'diskimages:',
      '  - name: a',
      '    env-vars: {A: 1}',
      '    formats: qcow2',
      '    boot-test: {timeout: 0}',
      '',
    ].join('\n');
    expect(await errorLines(yaml)).toEqual([
      'diskimages[0] (name: a).env-vars.A: must be a string, got 1 (quote values YAML would read as numbers or booleans)',
      'diskimages[0] (name: a).boot-test.timeout: must be >= 1, got 0',
      'zookeeper-servers[0].port: must be an integer, got "x"',
      'diskimages[0] (name: a).formats: must be a list, got "qcow2"',
      'zookeeper-servers[0]: missing required key "host"',
      'zookeeper-tls: missing required key "key"',
      'zookeeper-tls: missing required key "ca"',
    ]);
  });

  test('boot-test expect must be a valid regular expression', async () => {
    expect(await errorLines('diskimages:\n  - name: a\n    boot-test: {expect: "("}\n')).toEqual([
      'diskimages[0] (name: a).boot-test.expect: not a valid regular expression: Invalid regular expression: /(/: Unterminated group',
    ]);
  });

  test('the error carries the first key path', async () => {
    const path = await tmp.current().write('np.yaml', 'diskimages:\n  - name: a\n    pause: maybe\n');
    await expect(loadConfig(path, { env: tmp.current().env() })).rejects.toMatchObject({
      keyPath: 'diskimages[0] (name: a).pause',
      message: `${path}: diskimages[0] (name: a).pause: must be a boolean (true or false), got "maybe"`,
      permanent: true,
    });
  });
});
