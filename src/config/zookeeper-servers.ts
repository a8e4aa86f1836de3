/**
 * `zookeeper-servers` → ZkServer[] (upstream Config.setZooKeeperServers):
 * port defaults to 2281 (quirk, see defaults.ts); entries are keyed by
 * host and port, so a repeated host:port keeps its first position and its
 * last chroot, as upstream's dict does. Chroots are kept as written: the
 * ZooKeeper layer applies a chroot once for the whole connect string, instead
 * of upstream's per-host suffix (nodepool-compat.md 2.2).
 */
import type { ZkServer, ZkTlsFiles } from '../zk/zk-types.js';
import { DEFAULTS } from './defaults.js';
import type { RawZkServer, RawZkTls } from './raw-types.js';

export function toZkServers(raw: readonly RawZkServer[] | null | undefined): ZkServer[] {
  const byAddress = new Map<string, ZkServer>();
  for (const entry of raw ?? []) {
    const server: ZkServer = { host: entry.host, port: entry.port ?? DEFAULTS.zookeeperPort };
    if (entry.chroot !== undefined && entry.chroot !== null) server.chroot = entry.chroot;
    byAddress.set(`${server.host}_${server.port}`, server);
  }
  return [...byAddress.values()];
}

export function toZkTls(raw: RawZkTls | null | undefined): ZkTlsFiles | null {
  return raw ? { cert: raw.cert, key: raw.key, ca: raw.ca } : null;
}
