import { readdir } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { loadConfig } from '../../src/config/load-config.js';
import { fixture, testEnv, useTempConfigDir } from './temp-config.js';

describe('loadConfig defaults', () => {
  test('a minimal file gets upstream defaults', async () => {
    const config = await loadConfig(fixture('minimal.yaml'), { env: testEnv() });
    expect(config).toMatchObject({
      configPath: fixture('minimal.yaml'),
      securePath: null,
      elementsDir: null,
      imagesDir: '/var/lib/nodepool/images',
      buildLogDir: '/var/log/nodepool/builds',
      buildLogRetention: 7,
      zookeeperServers: [],
      zookeeperTls: null,
      zookeeperTimeout: 10.0,
      labels: [],
    });
    expect(config.providers.size).toBe(0);
    expect(config.diskimages.get('plain')).toEqual({
      name: 'plain',
      elements: [],
      envVars: {},
      release: '',
      formats: [],
      configuredFormats: [],
      keepFormats: [],
      deleteAfterUpload: false,
      rebuildAge: 86400,
      buildTimeout: 28800,
      pause: false,
      username: 'zuul',
      pythonPath: 'auto',
      shellType: null,
      dibCmd: 'disk-image-create',
      metadata: {},
      builderLabels: [],
      bootTest: null,
    });
  });

  describe('with files of its own', () => {
    const tmp = useTempConfigDir();

    test('a relative path becomes absolute; paths inside the config stay as written', async () => {
      const path = await tmp.current().write('np.yaml', 'images-dir: relative/images\nelements-dir: ./elements\n');
      const config = await loadConfig(relative(process.cwd(), path), { env: tmp.current().env() });
      expect(config.configPath).toBe(path);
      expect(config.imagesDir).toBe('relative/images');
      expect(config.elementsDir).toBe('./elements');
    });

    test('a ZooKeeper server without port gets 2281 (upstream quirk); chroot kept as written', async () => {
      const path = await tmp.current().write(
        'np.yaml',
        'zookeeper-servers:\n  - host: zk1\n  - host: zk2\n    port: 2181\n    chroot: /np\nzookeeper-timeout: 3\n',
      );
      const config = await loadConfig(path, { env: tmp.current().env() });
      expect(config.zookeeperServers).toEqual([
        { host: 'zk1', port: 2281 },
        { host: 'zk2', port: 2181, chroot: '/np' },
      ]);
      expect(config.zookeeperTimeout).toBe(3);
    });

    test('null top-level lists and keys count as unset', async () => {
      const path = await tmp.current().write('np.yaml', 'diskimages:\nproviders:\nlabels:\nbuild-log-retention:\nwebapp:\n');
      const config = await loadConfig(path, { env: tmp.current().env() });
      expect(config.diskimages.size).toBe(0);
      expect(config.buildLogRetention).toBe(7);
    });

    test('YAML is read with PyYAML rules: yes is true, y stays a string, duplicate keys last-wins', async () => {
      const path = await tmp.current().write(
        'np.yaml',
        [
          'diskimages:',
          '  - name: img',
          '    pause: yes',
          '    env-vars:',
          '      ANSWER: "n"',
          '    env-vars:',
          '      FLAG: y',
          '',
        ].join('\n'),
      );
      const image = (await loadConfig(path, { env: tmp.current().env() })).diskimages.get('img');
      expect(image?.pause).toBe(true);
      expect(image?.envVars).toEqual({ FLAG: 'y' });
    });

    test('YAML anchors and merge keys work as in PyYAML', async () => {
      const path = await tmp.current().write(
        'np.yaml',
        [
          'diskimages:',
          '  - &common',
          '    name: one',
          '    elements: [a]',
          '    rebuild-age: 60',
          '  - <<: *common',
          '    name: two',
          '',
        ].join('\n'),
      );
      const config = await loadConfig(path, { env: tmp.current().env() });
      expect(config.diskimages.get('two')).toMatchObject({ elements: ['a'], rebuildAge: 60 });
    });
  });
});

describe('a full nodepool.yaml shared with the launcher (good.yaml)', () => {
  test('loads, with launcher-only keys accepted and ignored', async () => {
    const config = await loadConfig(fixture('good.yaml'), { env: testEnv() });
    expect(config.elementsDir).toBe('/etc/nodepool/elements');
    expect(config.buildLogRetention).toBe(3);
    expect(config.zookeeperServers).toEqual([
      { host: 'zk1.example.org', port: 2281, chroot: '/nodepool' },
      { host: 'zk2.example.org', port: 2281 },
    ]);
    expect(config.zookeeperTls).toEqual({
      cert: '/etc/nodepool/certs/client.pem',
      key: '/etc/nodepool/certs/client.key',
      ca: '/etc/nodepool/certs/cacert.pem',
    });
    expect(config.zookeeperTimeout).toBe(30);
    expect(config.labels).toEqual([
      'ubuntu-jammy',
      'ubuntu-jammy-large',
      'ubuntu-jammy-external',
      'centos-ami',
      'debian-static',
      'pod-fedora',
      'kubernetes-namespace',
    ]);
    // the abstract parent is not an image
    expect([...config.diskimages.keys()]).toEqual(['ubuntu-jammy']);
    expect(config.diskimages.get('ubuntu-jammy')).toMatchObject({
      elements: ['ubuntu-minimal', 'vm', 'simple-init', 'openstack-repos', 'nodepool-base'],
      release: 'jammy',
      rebuildAge: 3600,
      configuredFormats: ['tar'],
      // tar ∪ cloud1 qcow2 (clouds.yaml default) ∪ cloud2 raw (clouds.yaml image_format) ∪ aws vmdk
      formats: ['qcow2', 'raw', 'tar', 'vmdk'],
      envVars: {
        TMPDIR: '/opt/dib_tmp',
        DIB_IMAGE_CACHE: '/opt/dib_cache',
        QEMU_IMG_OPTIONS: 'compat=0.10',
        DIB_CHECKSUM: '1',
      },
      metadata: { purpose: 'ci' },
    });
  });

  test('providers carry their driver, image type and upload settings', async () => {
    const { providers } = await loadConfig(fixture('good.yaml'), { env: testEnv() });
    expect([...providers.keys()]).toEqual(['cloud1', 'cloud2', 'ec2-us-east-2', 'static-rack', 'kubespray']);
    expect(providers.get('cloud1')).toMatchObject({
      driver: 'openstack',
      managesImages: true,
      imageType: 'qcow2',
      cloud: 'vanilla-cloud',
      regionName: 'vanilla',
      rate: 0.001,
      imageNameFormat: '{image_name}-{timestamp}',
      postUploadHook: '/usr/local/bin/nodepool-post-upload',
      imageUploadTimeout: 3600,
      diskimages: [{ name: 'ubuntu-jammy', pause: false, meta: { os_distro: 'ubuntu', hw_disk_bus: 'scsi' }, extra: {} }],
    });
    expect(providers.get('cloud2')).toMatchObject({
      imageType: 'raw',
      rate: 0.5,
      diskimages: [{ name: 'ubuntu-jammy', pause: false, meta: {}, extra: { 'connection-type': 'ssh', 'config-drive': true } }],
    });
    expect(providers.get('ec2-us-east-2')).toMatchObject({
      driver: 'aws',
      imageType: 'vmdk',
      regionName: 'us-east-2',
      rate: 2,
      cloud: null,
      diskimages: [
        {
          name: 'ubuntu-jammy',
          meta: { team: 'infra', 'cost-centre': '42' },
          extra: { 'volume-type': 'gp3', 'import-method': 'snapshot' },
        },
      ],
    });
    for (const name of ['static-rack', 'kubespray']) {
      expect(providers.get(name)).toMatchObject({ managesImages: false, imageType: null, diskimages: [] });
    }
    expect(providers.get('kubespray')?.raw['context']).toBe('admin-cluster.local');
  });
});

describe('config/nodepool.yaml (the Quick start example)', () => {
  test('uses only elements Kiln ships', async () => {
    const config = await loadConfig(resolve('config/nodepool.yaml'), { env: testEnv({ NODEPOOL_STATE_DIR: '/tmp/kiln-state' }) });
    const shipped = new Set(await readdir(resolve('elements')));
    for (const image of config.diskimages.values()) {
      expect(image.elements.filter((e) => !shipped.has(e))).toEqual([]);
    }
  });

  test('loads with NODEPOOL_STATE_DIR set', async () => {
    const path = resolve('config/nodepool.yaml');
    const config = await loadConfig(path, { env: testEnv({ NODEPOOL_STATE_DIR: '/tmp/kiln-state' }) });
    expect(config.imagesDir).toBe('/tmp/kiln-state/images');
    expect(config.buildLogDir).toBe('/tmp/kiln-state/logs');
    expect(config.zookeeperServers).toEqual([]);
    expect(config.diskimages.get('debian-bookworm')).toMatchObject({
      elements: ['debian-minimal', 'vm', 'bootloader', 'openssh-server'],
      release: 'bookworm',
      formats: ['qcow2'],
      bootTest: { timeoutSeconds: 300, expect: 'login:' },
    });
    expect(config.diskimages.get('fake-image')).toMatchObject({ elements: ['fake-os'], formats: ['qcow2', 'raw'] });
    expect(config.providers.get('local')).toMatchObject({
      driver: 'local',
      managesImages: true,
      imageType: 'qcow2',
      raw: { path: '/tmp/kiln-state/cloud' },
    });
  });

  test('is refused without NODEPOOL_STATE_DIR', async () => {
    await expect(loadConfig(resolve('config/nodepool.yaml'), { env: testEnv() })).rejects.toMatchObject({
      code: 'KILN_CONFIG_MISSING_ENV',
    });
  });
});
