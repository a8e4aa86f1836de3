/**
 * L1, L2 and refcount tables for the layout (docs/interop/qcow2.txt).
 * - L1 entry: L2 table offset | COPIED (refcount is exactly 1).
 * - L2 entry, normal cluster: host offset | COPIED; compressed cluster:
 *   COMPRESSED | extra-sectors << CSIZE_SHIFT | byte offset (never COPIED).
 * - Refcounts: 1 for every metadata and stored cluster; a host cluster holding
 *   compressed data counts every compressed cluster whose sector range
 *   touches it, exactly as `qemu-img check` recounts them.
 */
import { CLUSTER_SIZE, CSIZE_SHIFT, FLAG_COMPRESSED, FLAG_COPIED, L2_ENTRIES, SECTOR } from './qcow2-constants.js';
import { AssemblyError } from '../../assembly-error.js';
import { STORED_RAW, type ClusterMap } from './cluster-map.js';
import { DataPlacer } from './data-placer.js';
import type { Qcow2Layout } from './qcow2-layout.js';

export function encodeL1(layout: Qcow2Layout): Buffer {
  const buf = Buffer.alloc(layout.l1Clusters * CLUSTER_SIZE);
  for (const [index, offset] of layout.l2Offsets) buf.writeBigUInt64BE(BigInt(offset) | FLAG_COPIED, index * 8);
  return buf;
}

/** The L2 tables in file order (replays the data placement from the data area's start). */
export function* encodeL2Tables(map: ClusterMap, layout: Qcow2Layout): Generator<Buffer> {
  const placer = new DataPlacer();
  for (const index of map.l2Indices()) {
    const table = map.table(index) as Int32Array;
    const buf = Buffer.alloc(CLUSTER_SIZE);
    for (let i = 0; i < L2_ENTRIES; i++) {
      const entry = table[i] as number;
      const place = placer.place(entry);
      if (!place) continue;
      const host = layout.dataStart + place.offset;
      buf.writeBigUInt64BE(entry === STORED_RAW ? BigInt(host) | FLAG_COPIED : compressedDescriptor(host, entry), i * 8);
    }
    yield buf;
  }
}

export function compressedDescriptor(host: number, length: number): bigint {
  const extraSectors = Math.floor((host + length - 1) / SECTOR) - Math.floor(host / SECTOR);
  return FLAG_COMPRESSED | (BigInt(extraSectors) << BigInt(CSIZE_SHIFT)) | BigInt(host);
}

/** The refcount table and blocks, contiguous as the layout puts them. */
export function encodeRefcounts(map: ClusterMap, layout: Qcow2Layout): { table: Buffer; blocks: Buffer } {
  const counts = new Uint32Array(layout.hostClusters);
  counts.fill(1, 0, layout.dataStart / CLUSTER_SIZE); // header, L1, refcounts, L2 tables
  const placer = new DataPlacer();
  for (const index of map.l2Indices()) {
    const table = map.table(index) as Int32Array;
    for (let i = 0; i < L2_ENTRIES; i++) {
      const place = placer.place(table[i] as number);
      if (!place) continue;
      const start = layout.dataStart + place.offset;
      // qemu reads (and counts) a compressed cluster up to the end of its last sector
      const end = Math.ceil((start + place.length) / SECTOR) * SECTOR;
      for (let c = Math.floor(start / CLUSTER_SIZE); c <= Math.floor((end - 1) / CLUSTER_SIZE); c++) counts[c] = (counts[c] as number) + 1;
    }
  }
  const tableBuf = Buffer.alloc(layout.refTableClusters * CLUSTER_SIZE);
  const blocks = Buffer.alloc(layout.refBlocks * CLUSTER_SIZE);
  for (let b = 0; b < layout.refBlocks; b++) tableBuf.writeBigUInt64BE(BigInt(layout.refBlocksOffset + b * CLUSTER_SIZE), b * 8);
  for (let c = 0; c < counts.length; c++) {
    const n = counts[c] as number;
    if (n > 0xffff) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `qcow2 refcount overflow at host cluster ${c}`);
    blocks.writeUInt16BE(n, c * 2); // the blocks are contiguous: cluster c's count is entry c
  }
  return { table: tableBuf, blocks };
}
