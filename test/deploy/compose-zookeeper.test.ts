/**
 * The compose ensemble's zoo.cfg and make-certs.sh's certificates, for real:
 * three ZooKeeper 3.8 servers (the Debian package) run deploy/compose/zoo.cfg
 * with only host names, ports and paths rewritten for 127.0.0.1, form a
 * TLS quorum, and Kiln's client connects over TLS with the client certificate.
 */
import { zooKeeperClasspath } from '../../src/zk/zookeeper-server.js';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { ZkClient } from '../../src/zk/zk-client.js';
import { fourLetterWord } from '../../src/zk/four-letter-word.js';
import { freePort } from '../../src/util/free-port.js';

const COMPOSE_DIR = resolve(process.cwd(), 'deploy', 'compose');
const CLASSPATH = zooKeeperClasspath();

interface Node {
  id: number;
  securePort: number;
  plainPort: number;
  peerPort: number;
  electionPort: number;
}

let dir: string;
const servers: ResultPromise[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) server.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

it('forms a TLS quorum from the compose zoo.cfg and serves TLS clients with make-certs.sh certificates', async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-test-compose-zk-'));
  const certs = join(dir, 'certs');
  await execa('bash', [join(COMPOSE_DIR, 'make-certs.sh'), certs]);
  const template = await readFile(join(COMPOSE_DIR, 'zoo.cfg'), 'utf8');
  const nodes: Node[] = [];
  for (const id of [1, 2, 3]) {
    nodes.push({ id, securePort: await freePort(), plainPort: await freePort(), peerPort: await freePort(), electionPort: await freePort() });
  }

  for (const node of nodes) {
    const nodeDir = join(dir, `zk${node.id}`);
    await mkdir(join(nodeDir, 'data'), { recursive: true });
    await writeFile(join(nodeDir, 'data', 'myid'), `${node.id}\n`);
    await writeFile(join(nodeDir, 'zoo.cfg'), localZooCfg(template, node, nodes, nodeDir, certs));
    servers.push(execa('java', ['-Xmx128m', '-cp', CLASSPATH, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(nodeDir, 'zoo.cfg')], {
      stdio: ['ignore', 'ignore', 'ignore'],
      reject: false,
    }));
  }

  const modes = await Promise.all(nodes.map((node) => waitForMode(node.plainPort)));
  expect(modes.sort()).toEqual(['follower', 'follower', 'leader']);

  const zk = await ZkClient.connect({
    servers: nodes.map((node) => ({ host: '127.0.0.1', port: node.securePort })),
    tls: { cert: join(certs, 'client.pem'), key: join(certs, 'client.key'), ca: join(certs, 'ca.pem') },
    connectTimeoutMs: 30000,
  });
  try {
    await zk.create('/kiln-compose-check', 'ok');
    expect((await zk.get('/kiln-compose-check'))?.data.toString()).toBe('ok');
  } finally {
    await zk.close();
  }
}, 120000);

/** The compose zoo.cfg with zkN, fixed ports and /data, /certs paths replaced by this node's. */
function localZooCfg(template: string, node: Node, nodes: Node[], nodeDir: string, certs: string): string {
  const replaced = template
    .replace(/^dataDir=.*$/m, `dataDir=${join(nodeDir, 'data')}`)
    .replace(/^dataLogDir=.*$/m, `dataLogDir=${join(nodeDir, 'data')}`)
    .replaceAll('/certs/keystore.pem', join(certs, `zk${node.id}-keystore.pem`))
    .replaceAll('/certs/ca.pem', join(certs, 'ca.pem'))
    .replace(/^secureClientPort=2281$/m, `secureClientPort=${node.securePort}\nsecureClientPortAddress=127.0.0.1`)
    .replace(/^clientPort=2181$/m, `clientPort=${node.plainPort}`)
    .replace(/^server\.(\d)=zk\d:2888:3888$/gm, (_line, id: string) => {
      const peer = nodes[Number(id) - 1] as Node;
      return `server.${id}=127.0.0.1:${peer.peerPort}:${peer.electionPort}`;
    });
  // the rewrite must have found every line it targets
  expect(replaced).not.toMatch(/zk\d:|=\/data|=\/certs|=2281$|=2181$/m);
  return replaced;
}

async function waitForMode(port: number): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const mode = /Mode: (\w+)/.exec((await fourLetterWord('127.0.0.1', port, 'srvr')) ?? '')?.[1];
    if (mode === 'leader' || mode === 'follower') return mode;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`ZooKeeper on 127.0.0.1:${port} did not join a quorum`);
}
