/**
 * Pass 1: the raw image's clusters go through the compression pool in
 * batches, in guest order, and their bytes are appended to a spill file laid
 * out exactly as the qcow2 data area will be (padding included), while the
 * cluster map records what each cluster became. At most two batches per
 * worker are in flight, so memory stays at a few MiB per worker whatever the
 * image size; the compressed data itself lives in the spill file, not in memory.
 */
import { open } from 'node:fs/promises';
import { throwIfAborted } from '../../run-tool.js';
import { ClusterMap } from './cluster-map.js';
import { CompressPool, type CompressedBatch } from './compress-pool.js';
import { DataPlacer } from './data-placer.js';
import { CLUSTER_SIZE } from './qcow2-constants.js';

export interface SpillRequest {
  image: string;
  virtualSize: number;
  spill: string;
  level: number;
  workers?: number;
  /** guest clusters per batch (default 64 = 4 MiB of input) */
  batchClusters?: number;
  signal?: AbortSignal;
}

export interface SpillResult {
  map: ClusterMap;
  /** the data area's length = the spill file's length */
  dataBytes: number;
}

export async function compressToSpill(req: SpillRequest): Promise<SpillResult> {
  const map = new ClusterMap(Math.ceil(req.virtualSize / CLUSTER_SIZE));
  const placer = new DataPlacer();
  const batch = req.batchClusters ?? 64;
  const image = await open(req.image, 'r');
  const pool = new CompressPool({ fd: image.fd, clusterSize: CLUSTER_SIZE, level: req.level }, req.workers);
  const spill = await open(req.spill, 'w').catch(async (err: unknown) => {
    await pool.destroy();
    await image.close();
    throw err;
  });
  try {
    const window = pool.size * 2;
    const inFlight: Array<{ first: number; result: Promise<CompressedBatch> }> = [];
    const appendNext = async (): Promise<void> => {
      const next = inFlight.shift() as (typeof inFlight)[number];
      const parts = place(await next.result, next.first, map, placer);
      if (parts.length) await spill.writev(parts);
    };
    let seq = 0;
    for (let first = 0; first < map.virtualClusters; first += batch) {
      throwIfAborted(req.signal);
      const result = pool.run({ seq: seq++, first, count: Math.min(batch, map.virtualClusters - first) });
      result.catch(() => {}); // awaited in order below; avoid an unhandled rejection meanwhile
      inFlight.push({ first, result });
      if (inFlight.length >= window) await appendNext();
    }
    while (inFlight.length) {
      throwIfAborted(req.signal);
      await appendNext();
    }
    return { map, dataBytes: placer.cursor };
  } finally {
    await pool.destroy(); // workers stopped: nobody reads the image fd any more
    await Promise.all([spill.close(), image.close()]);
  }
}

/** Records the batch in the map and returns its bytes in data-area order, padding included. */
function place(batch: CompressedBatch, first: number, map: ClusterMap, placer: DataPlacer): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let at = 0;
  batch.entries.forEach((entry, i) => {
    const placed = placer.place(entry);
    if (!placed) return;
    map.set(first + i, entry);
    if (placed.padding) parts.push(new Uint8Array(placed.padding));
    parts.push(batch.data.subarray(at, at + placed.length));
    at += placed.length;
  });
  return parts;
}
