import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { CloudsYaml, cloudsYamlCandidates } from '../../src/config/clouds-yaml.js';
import { loadConfig } from '../../src/config/load-config.js';
import { useTempConfigDir } from './temp-config.js';

describe('diskimage formats = own formats ∪ image types of the providers that list it', () => {
  const tmp = useTempConfigDir();

  async function formatsOf(yaml: string, clouds?: string): Promise<Record<string, string[]>> {
    const path = await tmp.current().write('nodepool.yaml', yaml);
    const env = tmp.current().env(
      clouds === undefined
        ? { OS_CLIENT_CONFIG_FILE: join(tmp.current().dir, 'none.yaml') }
        : { OS_CLIENT_CONFIG_FILE: await tmp.current().write('clouds.yaml', clouds) },
    );
    const config = await loadConfig(path, { env, });
    return Object.fromEntries([...config.diskimages.values()].map((d) => [d.name, d.formats]));
  }

  test('OpenStack uses clouds.yaml image_format (OS_CLIENT_CONFIG_FILE), sorted with the own formats', async () => {
    const yaml = [
      'diskimages:',
      '  - {name: img, formats: [tar, qcow2]}',
      '  - {name: other}',
      'providers:',
      '  - {name: os, cloud: vhd-cloud, diskimages: [{name: img}]}',
      '',
    ].join('\n');
    const clouds = 'clouds:\n  vhd-cloud:\n    image_format: vhd\n';
    expect(await formatsOf(yaml, clouds)).toEqual({ img: ['qcow2', 'tar', 'vhd'], other: [] });
  });

  test('qcow2 when the cloud, its image_format or clouds.yaml itself is absent; vendor profile rackspace → vhd', async () => {
    const yaml = [
      'diskimages: [{name: a}, {name: b}, {name: c}]',
      'providers:',
      '  - {name: p1, cloud: unknown-cloud, diskimages: [{name: a}]}',
      '  - {name: p2, cloud: plain, diskimages: [{name: b}]}',
      '  - {name: p3, cloud: rax, diskimages: [{name: c}]}',
      '',
    ].join('\n');
    const clouds = 'clouds:\n  plain: {region_name: x}\n  rax: {profile: rackspace}\n';
    expect(await formatsOf(yaml, clouds)).toEqual({ a: ['qcow2'], b: ['qcow2'], c: ['vhd'] });
    expect(await formatsOf(yaml)).toEqual({ a: ['qcow2'], b: ['qcow2'], c: ['qcow2'] });
  });

  test('empty set ⇒ empty formats (never built), no implicit qcow2', async () => {
    expect(await formatsOf('diskimages: [{name: lonely}]\n')).toEqual({ lonely: [] });
  });

  test('aws, ibmvpc, azure and local image types; launcher-only drivers add nothing', async () => {
    const yaml = [
      'diskimages: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}, {name: f}]',
      'providers:',
      '  - {name: aws1, driver: aws, region-name: r, diskimages: [{name: a}]}',
      '  - {name: aws2, driver: aws, region-name: r, image-format: vhdx, diskimages: [{name: b}]}',
      '  - {name: ibm, driver: ibmvpc, vpc: v, region: r, diskimages: [{name: c, operating-system: debian-12-amd64}]}',
      '  - {name: az, driver: azure, location: l, resource-group: g, resource-group-location: l, diskimages: [{name: d}]}',
      '  - {name: loc, driver: local, path: /srv, image-format: raw, diskimages: [{name: e}]}',
      '  - {name: k8s, driver: kubernetes, diskimages: [{name: f}]}',
      '',
    ].join('\n');
    expect(await formatsOf(yaml)).toEqual({ a: ['raw'], b: ['vhdx'], c: ['qcow2'], d: ['vhd'], e: ['raw'], f: [] });
  });

  test('the same format from several providers appears once', async () => {
    const yaml = [
      'diskimages: [{name: a, formats: [qcow2]}]',
      'providers:',
      '  - {name: p1, cloud: x, diskimages: [{name: a}]}',
      '  - {name: p2, driver: local, path: /srv, diskimages: [{name: a}]}',
      '',
    ].join('\n');
    expect(await formatsOf(yaml)).toEqual({ a: ['qcow2'] });
  });
});

describe('clouds.yaml lookup order (openstacksdk)', () => {
  const tmp = useTempConfigDir();

  test('OS_CLIENT_CONFIG_FILE, then cwd, ~/.config/openstack, /etc/xdg/openstack, /etc/openstack', () => {
    const candidates = cloudsYamlCandidates({ env: { OS_CLIENT_CONFIG_FILE: '/o/c.yaml', HOME: '/home/u' }, cwd: '/w' });
    expect(candidates).toEqual([
      '/o/c.yaml',
      '/w/clouds.yaml',
      '/w/clouds.yml',
      '/w/clouds.json',
      '/home/u/.config/openstack/clouds.yaml',
      '/home/u/.config/openstack/clouds.yml',
      '/home/u/.config/openstack/clouds.json',
      '/etc/xdg/openstack/clouds.yaml',
      '/etc/xdg/openstack/clouds.yml',
      '/etc/xdg/openstack/clouds.json',
      '/etc/openstack/clouds.yaml',
      '/etc/openstack/clouds.yml',
      '/etc/openstack/clouds.json',
    ]);
  });

  test('the first existing file wins: ./clouds.yaml before ~/.config/openstack/clouds.yaml', async () => {
    const { dir } = tmp.current();
    const home = join(dir, 'home');
    await mkdir(join(home, '.config', 'openstack'), { recursive: true });
    await tmp.current().write('home/.config/openstack/clouds.yaml', 'clouds: {c: {image_format: vmdk}}\n');
    const fromHome = new CloudsYaml({ env: { HOME: home }, cwd: join(dir, 'home') });
    expect(await fromHome.imageFormat('c')).toBe('vmdk');
    await tmp.current().write('home/clouds.yaml', 'clouds: {c: {image_format: raw}}\n');
    const fromCwd = new CloudsYaml({ env: { HOME: home }, cwd: join(dir, 'home') });
    expect(await fromCwd.imageFormat('c')).toBe('raw');
  });

  test('an unparseable clouds.yaml is a ConfigError naming that file', async () => {
    const clouds = await tmp.current().write('clouds.yaml', 'clouds: [\n');
    const lookup = new CloudsYaml({ env: { OS_CLIENT_CONFIG_FILE: clouds, HOME: tmp.current().dir } });
    await expect(lookup.imageFormat('x')).rejects.toMatchObject({ code: 'KILN_CONFIG_YAML', file: clouds });
  });
});
