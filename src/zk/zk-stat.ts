/** Converts ZooKeeper stats to ZkStat: the library's Stat objects, or raw reply bytes (multiRead). */
import type { Stat } from 'node-zookeeper-client';
import type { ZkStat } from './zk-types.js';

/** Stat {long czxid, mzxid, ctime, mtime; int version, cversion, aversion; long ephemeralOwner; int dataLength, numChildren; long pzxid} */
export const STAT_BYTES = 68;

/** The library's Stat (64-bit fields as 8-byte Buffers). */
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

/** A serialized Stat at `offset`, converted as toZkStat does. Throws RangeError when it runs past the buffer. */
export function statFromWire(buffer: Buffer, offset: number): ZkStat {
  if (offset + STAT_BYTES > buffer.length) throw new RangeError('ZooKeeper stat runs past the reply');
  // Not BigInt: a sweep converts 60,000 stats, and BigInt reads dominated the reply decoding.
  const ownerHigh = buffer.readUInt32BE(offset + 44);
  const ownerLow = buffer.readUInt32BE(offset + 48);
  return {
    ctime: int64(buffer, offset + 16),
    mtime: int64(buffer, offset + 24),
    version: buffer.readInt32BE(offset + 32),
    cversion: buffer.readInt32BE(offset + 36),
    numChildren: buffer.readInt32BE(offset + 56),
    ephemeralOwner: ownerHigh === 0 && ownerLow === 0 ? '0' : buffer.readBigUInt64BE(offset + 44).toString(),
  };
}

/** A signed 64-bit field as a number: exact below 2^53 (ms timestamps are ~2^41), rounded like Number(bigint) above. */
function int64(buffer: Buffer, offset: number): number {
  return buffer.readInt32BE(offset) * 0x1_0000_0000 + buffer.readUInt32BE(offset + 4);
}
