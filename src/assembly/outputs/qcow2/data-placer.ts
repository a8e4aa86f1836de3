/**
 * Where each allocated guest cluster's bytes go in the data area, relative to
 * its start (which is cluster aligned, so alignment works the same relative or
 * absolute). Compressed clusters are packed byte-tight, one after another, as
 * QEMU packs them; a cluster that did not compress is stored whole at the next
 * cluster boundary (a normal cluster must be aligned). Pass 1 uses this to
 * write the spill file with the right padding, pass 2 replays it for the L2
 * entries and refcounts; both walk the clusters in guest order.
 */
import { CLUSTER_SIZE } from './qcow2-constants.js';
import { STORED_RAW, UNALLOCATED } from './cluster-map.js';

export interface Placement {
  /** relative offset of the cluster's bytes */
  offset: number;
  /** zero bytes to write before them */
  padding: number;
  length: number;
}

export class DataPlacer {
  /** bytes used so far (the data area's length) */
  cursor = 0;

  place(entry: number): Placement | undefined {
    if (entry === UNALLOCATED) return undefined;
    if (entry === STORED_RAW) {
      const offset = Math.ceil(this.cursor / CLUSTER_SIZE) * CLUSTER_SIZE;
      const padding = offset - this.cursor;
      this.cursor = offset + CLUSTER_SIZE;
      return { offset, padding, length: CLUSTER_SIZE };
    }
    const offset = this.cursor;
    this.cursor += entry;
    return { offset, padding: 0, length: entry };
  }
}
