/**
 * The header cluster (docs/interop/qcow2.txt "Header"): version 2 is the
 * 72-byte header of compat=0.10; version 3 adds the feature bitmaps, the
 * refcount order (4 = 16-bit) and the header length (104: without the
 * compression-type byte, which then defaults to zlib). The rest of the cluster
 * stays zero, which reads as the end-of-extensions marker.
 */
import { CLUSTER_BITS, CLUSTER_SIZE } from './qcow2-constants.js';
import type { Qcow2Layout } from './qcow2-layout.js';

const MAGIC = 0x514649fb; // "QFI\xfb"

export function encodeHeader(version: 2 | 3, virtualSize: number, l1Size: number, layout: Qcow2Layout): Buffer {
  const buf = Buffer.alloc(CLUSTER_SIZE);
  buf.writeUInt32BE(MAGIC, 0);
  buf.writeUInt32BE(version, 4);
  // 8: backing_file_offset, 16: backing_file_size = 0
  buf.writeUInt32BE(CLUSTER_BITS, 20);
  buf.writeBigUInt64BE(BigInt(virtualSize), 24);
  // 32: crypt_method = 0
  buf.writeUInt32BE(l1Size, 36);
  buf.writeBigUInt64BE(BigInt(layout.l1Offset), 40);
  buf.writeBigUInt64BE(BigInt(layout.refTableOffset), 48);
  buf.writeUInt32BE(layout.refTableClusters, 56);
  // 60: nb_snapshots = 0, 64: snapshots_offset = 0
  if (version === 3) {
    // 72: incompatible, 80: compatible, 88: autoclear features = 0
    buf.writeUInt32BE(4, 96); // refcount_order: 2^4 = 16-bit refcounts
    buf.writeUInt32BE(104, 100); // header_length
  }
  return buf;
}
