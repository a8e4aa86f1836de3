/**
 * The file layout, chosen so the file can be written strictly front to back:
 *
 *   header | L1 table | refcount table | refcount blocks | L2 tables | data
 *
 * Every part but the data is a whole number of clusters. The refcount blocks
 * must count themselves and the refcount table, so their number is found by
 * iterating to a fixed point (it converges in one or two steps).
 */
import { CLUSTER_SIZE, REFCOUNTS_PER_BLOCK, SECTOR } from './qcow2-constants.js';
import type { ClusterMap } from './cluster-map.js';

export interface Qcow2Layout {
  l1Offset: number;
  l1Clusters: number;
  refTableOffset: number;
  refTableClusters: number;
  refBlocksOffset: number;
  refBlocks: number;
  /** L1 index → file offset of its L2 table */
  l2Offsets: Map<number, number>;
  dataStart: number;
  /** clusters of the file, the last one possibly partial */
  hostClusters: number;
  /** the file's length: data end, rounded up to a whole sector */
  fileSize: number;
}

export function computeLayout(map: ClusterMap, dataBytes: number): Qcow2Layout {
  const clusters = (bytes: number): number => Math.ceil(bytes / CLUSTER_SIZE);
  const l1Clusters = Math.max(1, clusters(map.l1Size * 8));
  const l2Indices = map.l2Indices();
  const dataClusters = clusters(dataBytes);
  let refBlocks = 1;
  let refTableClusters = 1;
  for (;;) {
    const total = 1 + l1Clusters + refTableClusters + refBlocks + l2Indices.length + dataClusters;
    const needBlocks = Math.ceil(total / REFCOUNTS_PER_BLOCK);
    const needTable = clusters(needBlocks * 8);
    if (needBlocks === refBlocks && needTable === refTableClusters) break;
    refBlocks = Math.max(refBlocks, needBlocks);
    refTableClusters = Math.max(refTableClusters, needTable);
  }
  const l1Offset = CLUSTER_SIZE;
  const refTableOffset = l1Offset + l1Clusters * CLUSTER_SIZE;
  const refBlocksOffset = refTableOffset + refTableClusters * CLUSTER_SIZE;
  const l2Start = refBlocksOffset + refBlocks * CLUSTER_SIZE;
  const l2Offsets = new Map(l2Indices.map((index, i) => [index, l2Start + i * CLUSTER_SIZE]));
  const dataStart = l2Start + l2Indices.length * CLUSTER_SIZE;
  const fileSize = dataStart + Math.ceil(dataBytes / SECTOR) * SECTOR;
  return {
    l1Offset, l1Clusters, refTableOffset, refTableClusters, refBlocksOffset, refBlocks, l2Offsets, dataStart,
    hostClusters: dataStart / CLUSTER_SIZE + dataClusters, fileSize,
  };
}
