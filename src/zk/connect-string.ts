/**
 * Builds the ZooKeeper connect string from nodepool.yaml's `zookeeper-servers`.
 *
 * Upstream Nodepool (`buildZooKeeperHosts`) appends the chroot to *every*
 * `host:port` (`h1:2281/np,h2:2281/np`). That is not a valid connect string for
 * several servers (ZooKeeper takes one chroot suffix, at the end), and Kiln fixes
 * it: the chroot is applied once, after the last server. Single-server configs
 * give the same string as upstream. IPv6 literals are bracketed (`[::1]:2281`).
 * Default ports are decided by the config layer (2281, Nodepool's code default),
 * not here.
 */
import { ZkError } from '../errors/zk-error.js';
import type { ZkServer } from './zk-types.js';

export function buildConnectString(servers: readonly ZkServer[]): string {
  return `${servers.map(formatHostPort).join(',')}${commonChroot(servers) ?? ''}`;
}

/** `host:port`, with IPv6 literals in brackets. */
export function formatHostPort(server: Pick<ZkServer, 'host' | 'port'>): string {
  const host = server.host.includes(':') && !server.host.startsWith('[') ? `[${server.host}]` : server.host;
  return `${host}:${server.port}`;
}

/**
 * The one chroot all servers share (normalised: leading `/`, no trailing `/`),
 * or undefined for none. Servers that disagree are refused: there is no valid
 * way to honour two chroots in one session.
 */
export function commonChroot(servers: readonly ZkServer[]): string | undefined {
  if (servers.length === 0) throw new ZkError('KILN_ZK_ERROR', 'no ZooKeeper servers configured');
  const chroots = new Set(servers.map((s) => normalizeChroot(s.chroot)));
  if (chroots.size > 1) {
    const shown = [...chroots].map((c) => c ?? '(none)').join(', ');
    throw new ZkError('KILN_ZK_ERROR', `zookeeper-servers name different chroots (${shown}); use one chroot for all`);
  }
  return [...chroots][0];
}

export function normalizeChroot(chroot: string | undefined): string | undefined {
  if (!chroot) return undefined;
  const trimmed = `/${chroot.replace(/^\/+|\/+$/g, '')}`;
  return trimmed === '/' ? undefined : trimmed;
}
