/**
 * What pass 1 learnt about every guest cluster, in guest order: unallocated
 * (all zero), compressed (its deflate length) or stored as is (did not
 * compress below a cluster). Kept per L2 table, and only for tables that hold
 * data, so a mostly-empty multi-TiB image costs almost nothing.
 */
import { L2_ENTRIES } from './qcow2-constants.js';

/** Stored value per guest cluster. */
export const UNALLOCATED = 0;
export const STORED_RAW = -1;

export class ClusterMap {
  private readonly tables = new Map<number, Int32Array>();

  constructor(readonly virtualClusters: number) {}

  /** `entry` > 0: compressed length; STORED_RAW; UNALLOCATED is the default. */
  set(cluster: number, entry: number): void {
    if (entry === UNALLOCATED) return;
    const index = Math.floor(cluster / L2_ENTRIES);
    let table = this.tables.get(index);
    if (!table) {
      table = new Int32Array(L2_ENTRIES);
      this.tables.set(index, table);
    }
    table[cluster % L2_ENTRIES] = entry;
  }

  get l1Size(): number {
    return Math.ceil(this.virtualClusters / L2_ENTRIES);
  }

  /** L1 indices that need an L2 table, ascending (the order the tables are laid out). */
  l2Indices(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  table(l1Index: number): Int32Array | undefined {
    return this.tables.get(l1Index);
  }
}
