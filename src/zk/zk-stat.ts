/** Converts the library's Stat (64-bit fields as 8-byte Buffers) to ZkStat. */
import type { Stat } from 'node-zookeeper-client';
import type { ZkStat } from './zk-types.js';

export function toZkStat(stat: Stat): ZkStat {
  return {
    ctime: Number(stat.ctime.readBigInt64BE(0)),
    mtime: Number(stat.mtime.readBigInt64BE(0)),
    version: stat.version,
    cversion: stat.cversion,
    numChildren: stat.numChildren,
    // decimal, like kazoo's ZnodeStat.ephemeralOwner (an int); '0' when persistent
    ephemeralOwner: stat.ephemeralOwner.readBigUInt64BE(0).toString(),
  };
}
