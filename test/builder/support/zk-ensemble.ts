/**
 * A 3-node ZooKeeper ensemble on 127.0.0.1 for one test (src/zk/zookeeper-server.ts,
 * `ensemble` option): free ports, its own temp dir, the leader found with
 * `srvr`, and stop() of every server it started (also after a failed test).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fourLetterWord } from '../../../src/zk/four-letter-word.js';
import { startZooKeeper, type EnsembleMember, type RunningZooKeeper } from '../../../src/zk/zookeeper-server.js';
import { freePort } from '../../../src/util/free-port.js';
import type { ZkServer } from '../../../src/zk/zk-types.js';

export interface EnsembleNode {
  member: EnsembleMember;
  server: RunningZooKeeper;
}

export interface ZkEnsemble {
  nodes: EnsembleNode[];
  servers: ZkServer[];
  /** the node whose `srvr` says `Mode: leader` (waits until one does) */
  leader(timeoutMs?: number, among?: EnsembleNode[]): Promise<EnsembleNode>;
  /** SIGKILL one node and wait for its process to end */
  kill(node: EnsembleNode): Promise<void>;
  stop(): Promise<void>;
}

export async function startEnsemble(size = 3, tickTime = 500): Promise<ZkEnsemble> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-zk-ensemble-'));
  const ports = new Set<number>();
  while (ports.size < size * 3) ports.add(await freePort());
  const list = [...ports];
  const members: EnsembleMember[] = Array.from({ length: size }, (_, i) => ({
    id: i + 1,
    clientPort: list[i * 3] as number,
    peerPort: list[i * 3 + 1] as number,
    electionPort: list[i * 3 + 2] as number,
  }));
  const nodes: EnsembleNode[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.server.stop().catch(() => undefined)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const member of members) {
      const server = await startZooKeeper({ dir: join(dir, `zk${member.id}`), clientPort: member.clientPort, tickTime, ensemble: { myId: member.id, members } });
      nodes.push({ member, server });
    }
    const ensemble: ZkEnsemble = {
      nodes,
      servers: members.map((m) => ({ host: '127.0.0.1', port: m.clientPort })),
      async leader(timeoutMs = 60000, among = nodes) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          for (const node of among) {
            const reply = await fourLetterWord('127.0.0.1', node.member.clientPort, 'srvr', 1000);
            if (reply && /^Mode: leader$/m.test(reply)) return node;
          }
          if (Date.now() > deadline) throw new Error('the ZooKeeper ensemble elected no leader in time');
          await new Promise((r) => setTimeout(r, 200));
        }
      },
      async kill(node) {
        try {
          process.kill(node.server.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await node.server.stop();
      },
      stop,
    };
    // Serving means a quorum formed: a leader and followers.
    await ensemble.leader();
    return ensemble;
  } catch (err) {
    await stop();
    throw err;
  }
}
