/**
 * The fixed geometry Kiln writes (docs/interop/qcow2.txt): 64 KiB clusters,
 * 16-bit refcounts, so one L2 table maps 512 MiB and one refcount block
 * counts 2 GiB of file.
 */
export const CLUSTER_BITS = 16;
export const CLUSTER_SIZE = 1 << CLUSTER_BITS;
export const SECTOR = 512;
/** 8-byte L2 entries per L2 table */
export const L2_ENTRIES = CLUSTER_SIZE / 8;
/** 16-bit refcounts per refcount block */
export const REFCOUNTS_PER_BLOCK = CLUSTER_SIZE / 2;
/** compressed descriptor: host offset in bits 0..x-1, extra sector count in bits x..61 */
export const CSIZE_SHIFT = 62 - (CLUSTER_BITS - 8);
export const FLAG_COPIED = 1n << 63n;
export const FLAG_COMPRESSED = 1n << 62n;
