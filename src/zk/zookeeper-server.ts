/**
 * Starts a ZooKeeper server from the system's install (Debian `zookeeper`
 * package: /usr/share/java/zookeeper.jar) on 127.0.0.1. Used by the embedded
 * default (src/embedded) and by the test harness; both standalone servers and
 * ensemble members, plaintext and TLS (secureClientPort with PEM stores).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { KilnError } from '../errors/kiln-error.js';
import { isServing } from './four-letter-word.js';

const JAVA_DIR = '/usr/share/java';
// zookeeper.jar's manifest leaves out part of Netty (needed for the TLS port)
// and has no slf4j binding (slf4j-simple logs to stderr → our log file).
const CLASSPATH_JARS = [
  'zookeeper.jar',
  'zookeeper-jute.jar',
  'slf4j-api.jar',
  'slf4j-simple.jar',
  'netty-buffer.jar',
  'netty-common.jar',
  'netty-handler.jar',
  'netty-transport.jar',
  'netty-codec.jar',
  'netty-resolver.jar',
  'netty-transport-native-unix-common.jar',
  'netty-transport-native-epoll.jar',
];

export interface ZooKeeperServerTls {
  /** PEM file: server certificate followed by its unencrypted PKCS#8 key */
  keyStore: string;
  /** PEM file: CA certificate(s) */
  trustStore: string;
  /** require client certificates (as Nodepool deploys it); default true */
  clientAuth?: boolean;
}

export interface EnsembleMember {
  id: number;
  clientPort: number;
  peerPort: number;
  electionPort: number;
}

export interface ZooKeeperServerOptions {
  /** directory for zoo.cfg, data and the server log; created if missing */
  dir: string;
  clientPort: number;
  secureClientPort?: number;
  tls?: ZooKeeperServerTls;
  tickTime?: number;
  /** this member's id and all members, for a quorum ensemble */
  ensemble?: { myId: number; members: EnsembleMember[] };
  /** let the server outlive this process (embedded default) */
  detached?: boolean;
  /** how long to wait until it serves; default 30 s */
  startTimeoutMs?: number;
}

export interface RunningZooKeeper {
  pid: number;
  clientPort: number;
  secureClientPort: number | undefined;
  dir: string;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone */
  stop(): Promise<void>;
}

/** The Java classpath that runs a ZooKeeper server (plaintext and TLS) from Debian's packages. */
export function zooKeeperClasspath(): string {
  return CLASSPATH_JARS.map((jar) => join(JAVA_DIR, jar)).join(':');
}

export function zooKeeperInstalled(): boolean {
  return existsSync(join(JAVA_DIR, 'zookeeper.jar'));
}

export async function startZooKeeper(options: ZooKeeperServerOptions): Promise<RunningZooKeeper> {
  if (!zooKeeperInstalled()) {
    throw new KilnError(
      'KILN_ZK_NOT_INSTALLED',
      `ZooKeeper is not installed (${JAVA_DIR}/zookeeper.jar missing); run deploy/setup-host.sh or apt-get install zookeeper`,
    );
  }
  const dataDir = join(options.dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const cfgPath = join(options.dir, 'zoo.cfg');
  await writeFile(cfgPath, zooCfg(options, dataDir));
  if (options.ensemble) await writeFile(join(dataDir, 'myid'), `${options.ensemble.myId}\n`);

  // A raw fd (not execa's {file}, which pipes through this process) so a
  // detached server holds no handle of ours and the CLI can exit.
  // (execa's types accept a file descriptor only as a literal number type.)
  const logFd = openSync(join(options.dir, 'server.log'), 'a') as 3;
  const child = execa(
    'java',
    [
      '-Xmx256m',
      '-Dzookeeper.admin.enableServer=false',
      '-cp',
      zooKeeperClasspath(),
      'org.apache.zookeeper.server.quorum.QuorumPeerMain',
      cfgPath,
    ],
    { stdio: ['ignore', logFd, logFd], detached: options.detached ?? false, reject: false, cleanup: !options.detached },
  );
  closeSync(logFd);
  if (options.detached) child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new KilnError('KILN_ZK_START_FAILED', 'could not start java for ZooKeeper');

  let exited = false;
  void child.then(() => {
    exited = true;
  });

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await child;
    clearTimeout(timer);
  };

  // A quorum member only serves once a quorum is up: callers wait for the ensemble.
  if (!options.ensemble) {
    const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
    while (!(await isServing('127.0.0.1', options.clientPort))) {
      if (exited || Date.now() > deadline) {
        await stop();
        throw new KilnError(
          'KILN_ZK_START_FAILED',
          `ZooKeeper on 127.0.0.1:${options.clientPort} did not start serving; see ${join(options.dir, 'server.log')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { pid, clientPort: options.clientPort, secureClientPort: options.secureClientPort, dir: options.dir, stop };
}

function zooCfg(options: ZooKeeperServerOptions, dataDir: string): string {
  const lines = [
    `tickTime=${options.tickTime ?? 2000}`,
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${dataDir}`,
    `clientPort=${options.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'admin.enableServer=false',
    '4lw.commands.whitelist=*',
    // Tests create many chroots; keep the snapshot/log small and purge them.
    'autopurge.snapRetainCount=3',
    'autopurge.purgeInterval=1',
    'maxSessionTimeout=120000',
    'minSessionTimeout=1000',
  ];
  if (options.secureClientPort !== undefined && options.tls) {
    lines.push(
      'serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory',
      `secureClientPort=${options.secureClientPort}`,
      'secureClientPortAddress=127.0.0.1',
      `ssl.keyStore.location=${options.tls.keyStore}`,
      'ssl.keyStore.type=PEM',
      `ssl.trustStore.location=${options.tls.trustStore}`,
      'ssl.trustStore.type=PEM',
      `ssl.clientAuth=${options.tls.clientAuth === false ? 'none' : 'need'}`,
    );
  }
  if (options.ensemble) {
    for (const m of options.ensemble.members) {
      lines.push(`server.${m.id}=127.0.0.1:${m.peerPort}:${m.electionPort}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
