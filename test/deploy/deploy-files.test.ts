/**
 * deploy/: the systemd unit, the container image definition, the compose file
 * and the example configs are checked the way their consumers read them:
 * systemd-analyze verify (when installed), a Containerfile parse, the compose
 * YAML, and Kiln's own loadConfig for the examples.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { readCloudsFiles } from '../../src/providers/openstack/clouds-files.js';
import { resolveCloud } from '../../src/providers/openstack/resolve-cloud.js';
import { aptPackages, execForm, parseContainerfile } from './support/parse-containerfile.js';
import { parseUnitFile, unitValue } from './support/parse-unit-file.js';
import { setupHostPackages } from './support/setup-host-packages.js';

const ROOT = resolve(process.cwd());
const DEPLOY = join(ROOT, 'deploy');
const UNIT = join(DEPLOY, 'systemd', 'kiln-builder.service');
const CONTAINERFILE = join(DEPLOY, 'container', 'Containerfile');
const COMPOSE_DIR = join(DEPLOY, 'compose');
const EXAMPLES = join(DEPLOY, 'examples');

/** setup-host.sh packages the builder does not need in its container (why: Containerfile comment). */
const NOT_IN_CONTAINER = ['zookeeper', 'libslf4j-java', 'python3-kazoo', 'glance-api', 'curl'];

const text = (path: string): Promise<string> => readFile(path, 'utf8');

const tempDirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-test-deploy-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('systemd unit', () => {
  it('runs `kiln builder` as root with a restart policy, a graceful stop and its directories', async () => {
    const unit = parseUnitFile(await text(UNIT));
    const service = (key: string): string | undefined => unitValue(unit, 'Service', key);
    expect(service('ExecStart')).toBe('/usr/bin/kiln builder -c /etc/nodepool/nodepool.yaml -s /etc/nodepool/secure.yaml');
    expect(service('Restart')).toBe('on-failure');
    expect(service('KillMode')).toBe('mixed');
    expect(service('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    expect(seconds(service('TimeoutStopSec'))).toBeGreaterThanOrEqual(120);
    expect(service('User') ?? 'root').toBe('root');
    expect(service('StateDirectory')).toBe('kiln');
    expect(service('LogsDirectory')).toBe('kiln');
    expect(service('CacheDirectory')).toBe('kiln');
    expect(unitValue(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
    expect(unit.get('Unit')?.get('After')).toContain('network-online.target');
  });

  it('keeps DIB cache and build state in the directories systemd creates', async () => {
    const env = (parseUnitFile(await text(UNIT)).get('Service')?.get('Environment') ?? []).join(' ');
    expect(env).toContain('DIB_IMAGE_CACHE=/var/cache/kiln/');
    expect(env).toContain('KILN_STATE_DIR=/var/lib/kiln/');
  });

  const analyze = systemdAnalyze();
  (analyze ? it : it.skip)('passes systemd-analyze verify (and the check catches a broken unit)', async () => {
    const dir = await tempDir();
    // verify checks that ExecStart's program exists: point it at a stub.
    const stub = join(dir, 'kiln');
    await writeFile(stub, '#!/bin/sh\nexit 0\n');
    await chmod(stub, 0o755);
    const unitText = (await text(UNIT)).replace(/^ExecStart=\/usr\/bin\/kiln /m, `ExecStart=${stub} `);
    expect(unitText).toContain(`ExecStart=${stub} builder`);

    expect(await verify(analyze as string, dir, 'kiln-builder.service', unitText)).toBe('');
    // systemd-analyze exits 0 on unknown keys and bad values: the diagnostics are the verdict.
    const broken = unitText.replace(/^KillMode=mixed$/m, 'KillMode=gently').replace(/^Restart=on-failure$/m, 'Restrt=on-failure');
    const complaints = await verify(analyze as string, dir, 'broken.service', broken);
    expect(complaints).toMatch(/kill mode/i);
    expect(complaints).toMatch(/Unknown key 'Restrt'/);
  });
});

describe('Containerfile', () => {
  it('builds on Node 20 / Debian 12 and runs `kiln builder`', async () => {
    const instructions = parseContainerfile(await text(CONTAINERFILE));
    const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image).toMatch(/(^|\/)node:20-bookworm$/);

    const entrypoint = instructions.filter((i) => i.keyword === 'ENTRYPOINT').at(-1);
    const argv = execForm(entrypoint?.args ?? '');
    expect(argv).not.toBeNull();
    expect((argv as string[]).slice(-2)).toEqual(['/usr/bin/kiln', 'builder']);
    const cmd = execForm(instructions.filter((i) => i.keyword === 'CMD').at(-1)?.args ?? '');
    expect(cmd).toEqual(['-c', '/etc/nodepool/nodepool.yaml', '-s', '/etc/nodepool/secure.yaml']);
  });

  it('installs every run-time package of deploy/setup-host.sh', async () => {
    const wanted = setupHostPackages(await text(join(DEPLOY, 'setup-host.sh')));
    expect(wanted).toContain('qemu-utils');
    const installed = aptPackages(parseContainerfile(await text(CONTAINERFILE)));
    const runtime = wanted.filter((p) => !NOT_IN_CONTAINER.includes(p));
    expect(runtime.filter((p) => !installed.includes(p))).toEqual([]);
    expect(installed).toEqual(expect.arrayContaining(['tini', 'ca-certificates']));
    expect(installed).not.toContain('python3-kazoo');
    expect(installed).not.toContain('glance-api');
  });

  it('copies what the builder reads at run time, from paths that exist', async () => {
    const copies = parseContainerfile(await text(CONTAINERFILE)).filter((i) => i.keyword === 'COPY');
    const fromContext = copies.filter((c) => !c.args.startsWith('--from='));
    for (const copy of fromContext) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
    }
    const targets = copies.map((c) => c.args.split(/\s+/).at(-1));
    // dist/ (compiled), bin/kiln.js, the shipped elements and the shell helpers the elements source
    expect(targets).toEqual(expect.arrayContaining(['./dist', './bin', './elements', './src/pipeline/lib', './node_modules']));
  });
});

describe('compose file', () => {
  interface Service {
    image?: string;
    environment?: Record<string, string>;
    volumes?: string[];
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    privileged?: boolean;
    command?: string[];
    build?: { context: string; dockerfile: string };
  }
  interface Compose {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  }
  const loadCompose = async (): Promise<Compose> =>
    parseYaml(await text(join(COMPOSE_DIR, 'compose.yaml')), { merge: true }) as Compose;
  const zkNames = ['zk1', 'zk2', 'zk3'];

  it('runs a three-node ZooKeeper ensemble, each node with its own id, keystore and a health check', async () => {
    const { services } = await loadCompose();
    expect(Object.keys(services).filter((name) => /^zk\d$/.test(name)).sort()).toEqual(zkNames);
    zkNames.forEach((name, index) => {
      const zk = services[name] as Service;
      expect(zk.image).toMatch(/zookeeper:3\.8/);
      expect(zk.environment?.['ZOO_MY_ID']).toBe(String(index + 1));
      expect(zk.volumes).toEqual(expect.arrayContaining([
        './zoo.cfg:/conf/zoo.cfg:ro',
        './certs/ca.pem:/certs/ca.pem:ro',
        `./certs/${name}-keystore.pem:/certs/keystore.pem:ro`,
      ]));
      expect(zk.healthcheck?.test.join(' ')).toContain('srvr');
    });
  });

  it('configures TLS for clients (certificate required) and for the quorum', async () => {
    const cfg = zooCfg(await text(join(COMPOSE_DIR, 'zoo.cfg')));
    expect(cfg.get('secureClientPort')).toBe('2281');
    expect(cfg.get('serverCnxnFactory')).toBe('org.apache.zookeeper.server.NettyServerCnxnFactory');
    expect(cfg.get('ssl.clientAuth')).toBe('need');
    expect(cfg.get('ssl.keyStore.location')).toBe('/certs/keystore.pem');
    expect(cfg.get('ssl.trustStore.location')).toBe('/certs/ca.pem');
    expect(cfg.get('sslQuorum')).toBe('true');
    // the plaintext port (health check) is the container's loopback only
    expect(cfg.get('clientPortAddress')).toBe('127.0.0.1');
    expect(zkNames.map((name, i) => cfg.get(`server.${i + 1}`))).toEqual(zkNames.map((name) => `${name}:2888:3888`));
  });

  it('starts the builder from the Containerfile after a healthy ensemble, with the examples and certificates mounted', async () => {
    const { services, volumes } = await loadCompose();
    const builder = services['builder'] as Service;
    expect(resolve(COMPOSE_DIR, builder.build?.context ?? '', builder.build?.dockerfile ?? '')).toBe(CONTAINERFILE);
    expect(builder.privileged).toBe(true);
    for (const name of zkNames) expect(builder.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
    expect(builder.volumes).toEqual(expect.arrayContaining([
      '../examples/nodepool.yaml:/etc/nodepool/nodepool.yaml:ro',
      '../examples/secure.yaml:/etc/nodepool/secure.yaml:ro',
      '../examples/clouds.yaml:/etc/openstack/clouds.yaml:ro',
    ]));
    expect(builder.command?.slice(0, 4)).toEqual(['-c', '/etc/nodepool/nodepool.yaml', '-s', '/etc/nodepool/secure.yaml']);

    // every named volume is declared; every bind mount exists (certs/ once make-certs.sh ran)
    const certs = join(await tempDir(), 'certs');
    await execa('bash', [join(COMPOSE_DIR, 'make-certs.sh'), certs]);
    for (const service of Object.values(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] as string;
        if (!source.startsWith('.')) {
          expect(Object.keys(volumes)).toContain(source);
          continue;
        }
        const path = source.startsWith('./certs/') ? join(certs, source.slice('./certs/'.length)) : resolve(COMPOSE_DIR, source);
        expect({ source, exists: existsSync(path) }).toEqual({ source, exists: true });
      }
    }
  });
});

describe('example configuration', () => {
  const env = { ...process.env, OS_CLIENT_CONFIG_FILE: join(EXAMPLES, 'clouds.yaml') };
  const load = () => loadConfig(join(EXAMPLES, 'nodepool.yaml'), { securePath: join(EXAMPLES, 'secure.yaml'), env });

  it('loads and validates with the secure file, pointing at the compose ensemble over TLS', async () => {
    const config = await load();
    expect(config.zookeeperServers).toEqual(['zk1', 'zk2', 'zk3'].map((host) => ({ host, port: 2281 })));
    expect(config.zookeeperTls).toEqual({
      cert: '/etc/nodepool/certs/client.pem',
      key: '/etc/nodepool/certs/client.key',
      ca: '/etc/nodepool/certs/ca.pem',
    });
    expect(config.imagesDir).toBe('/var/lib/kiln/images');
    expect(config.buildLogDir).toBe('/var/log/kiln/builds');
  });

  it('builds diskimages through parents, with the secure env-vars merged in', async () => {
    const config = await load();
    expect([...config.diskimages.keys()]).toEqual(['debian-bookworm', 'debian-bookworm-dev']);
    const dev = config.diskimages.get('debian-bookworm-dev');
    // base → debian-base → debian-bookworm → debian-bookworm-dev: elements add up, ancestors first
    expect(dev?.elements).toEqual(['vm', 'bootloader', 'openssh-server', 'growroot', 'debian-minimal', 'cloud-init', 'devuser']);
    expect(dev?.release).toBe('bookworm');
    expect(dev?.envVars).toMatchObject({ DIB_GRUB_TIMEOUT: '0', DIB_DEBIAN_COMPONENTS: 'main', DIB_DEV_USER_PASSWORD: 'change-me' });
    expect(dev?.builderLabels).toEqual(['large']);
    expect(config.diskimages.get('debian-bookworm')?.bootTest).toEqual({ timeoutSeconds: 600, expect: 'login:', firmware: 'bios', blockSize: 512 });
  });

  it('has an OpenStack provider whose cloud resolves in the example clouds.yaml, and a local provider', async () => {
    const config = await load();
    const openstack = [...config.providers.values()].find((p) => p.driver === 'openstack');
    const local = [...config.providers.values()].find((p) => p.driver === 'local');
    expect(openstack?.imageType).toBe('qcow2');
    expect(local?.raw['path']).toBe('/var/lib/kiln/archive');

    const clouds = await readCloudsFiles({ env, cwd: await tempDir() });
    expect(clouds.cloudsPath).toBe(join(EXAMPLES, 'clouds.yaml'));
    const cloud = resolveCloud(clouds, openstack?.cloud as string, openstack?.regionName ?? null);
    expect(cloud.credentials.method).toBe('password');
    const appCred = resolveCloud(clouds, 'example-appcred', null);
    expect(appCred.credentials.method).toBe('application_credential');
  });

  it('uses only elements that Kiln ships', async () => {
    const config = await load();
    const elements = new Set([...config.diskimages.values()].flatMap((d) => d.elements));
    for (const element of elements) {
      expect({ element, shipped: existsSync(join(ROOT, 'elements', element)) }).toEqual({ element, shipped: true });
    }
  });
});

function seconds(value: string | undefined): number {
  const match = /^(\d+)\s*(s|min)?$/.exec(value ?? '');
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === 'min' ? 60 : 1);
}

function zooCfg(content: string): Map<string, string> {
  const entries = content
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const eq = line.indexOf('=');
      return [line.slice(0, eq), line.slice(eq + 1)] as [string, string];
    });
  return new Map(entries);
}

function systemdAnalyze(): string | null {
  for (const dir of ['/usr/bin', '/bin']) if (existsSync(join(dir, 'systemd-analyze'))) return join(dir, 'systemd-analyze');
  return null;
}

/** systemd-analyze verify's diagnostics for a unit written to `dir` ('' = clean). */
async function verify(analyze: string, dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  const result = await execa(analyze, ['verify', path], { reject: false });
  return `${result.stdout}${result.stderr}`.trim() + (result.exitCode === 0 ? '' : `\n(exit ${result.exitCode})`);
}
