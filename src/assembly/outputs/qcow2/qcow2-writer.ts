/**
 * Kiln's qcow2 writer: the assembled raw image → a zlib-compressed qcow2
 * (v2 = compat=0.10 or v3 = compat=1.1, 64 KiB clusters, 16-bit refcounts),
 * compressed on every CPU, written strictly front to back so every byte goes
 * through the md5/sha256 hashers exactly once on its way to disk.
 *
 * Two passes because the header and tables come first in the file but depend
 * on the compressed sizes: pass 1 compresses into a spill file next to the
 * target (`spillPathFor`, tracked by the caller so a SIGKILL leaves nothing
 * behind), pass 2 streams header + L1 + refcounts + L2 + the spill into the
 * target. The spill is removed whatever happens.
 */
import { rm, stat } from 'node:fs/promises';
import type { Digests } from '../digest.js';
import type { ChecksumKind } from '../checksum-kinds.js';
import { pump, readChunks } from '../pump.js';
import { compressToSpill } from './compress-to-spill.js';
import type { ClusterMap } from './cluster-map.js';
import { computeLayout, type Qcow2Layout } from './qcow2-layout.js';
import { encodeHeader } from './qcow2-header.js';
import { encodeL1, encodeL2Tables, encodeRefcounts } from './qcow2-tables.js';
import type { Qcow2Settings } from './qcow2-settings.js';
import { SECTOR } from './qcow2-constants.js';

export interface Qcow2WriteRequest {
  /** raw image; its size must be a multiple of 512 (see `canWriteNatively`) */
  image: string;
  target: string;
  settings: Qcow2Settings;
  /** checksums to compute as the file is written */
  hash: readonly ChecksumKind[];
  /** compression workers (default: os.availableParallelism()) */
  workers?: number;
  signal?: AbortSignal;
}

export function spillPathFor(target: string): string {
  return `${target}.spill`;
}

/** qcow2 sizes are whole sectors; other sizes are left to qemu-img. */
export async function canWriteNatively(image: string): Promise<boolean> {
  const { size } = await stat(image);
  return size > 0 && size % SECTOR === 0;
}

export async function writeQcow2(req: Qcow2WriteRequest): Promise<Digests | undefined> {
  const virtualSize = (await stat(req.image)).size;
  const spill = spillPathFor(req.target);
  try {
    const { map, dataBytes } = await compressToSpill({
      image: req.image, virtualSize, spill, level: req.settings.level,
      ...(req.workers ? { workers: req.workers } : {}), ...(req.signal ? { signal: req.signal } : {}),
    });
    const layout = computeLayout(map, dataBytes);
    const bytes = fileBytes(req.settings, virtualSize, map, layout, spill, dataBytes);
    return await pump(bytes, { files: [req.target], hash: req.hash, ...(req.signal ? { signal: req.signal } : {}) });
  } finally {
    await rm(spill, { force: true });
  }
}

/** The whole file, front to back. */
async function* fileBytes(settings: Qcow2Settings, virtualSize: number, map: ClusterMap, layout: Qcow2Layout, spill: string, dataBytes: number): AsyncGenerator<Uint8Array> {
  yield encodeHeader(settings.version, virtualSize, map.l1Size, layout);
  yield encodeL1(layout);
  const refcounts = encodeRefcounts(map, layout);
  yield refcounts.table;
  yield refcounts.blocks;
  yield* encodeL2Tables(map, layout);
  yield* readChunks(spill);
  const tail = layout.fileSize - layout.dataStart - dataBytes;
  if (tail > 0) yield new Uint8Array(tail); // the last compressed sector is whole, as qemu reads it
}
