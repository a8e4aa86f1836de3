/**
 * Worker thread: reads its batch of guest clusters straight from the raw
 * image (positional reads on the writer's fd, so the main thread never
 * touches the data),
 * skips all-zero clusters (holes read as zeros) and deflates the others the
 * way QEMU's qcow2 does: raw deflate with a 4 KiB window (windowBits 12;
 * QEMU inflates with -12, so a larger window would not decompress; memLevel 9
 * as QEMU). A cluster that does not shrink below the cluster size is stored
 * whole.
 */
import { readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { deflateRawSync } from 'node:zlib';
import { AssemblyError } from '../../assembly-error.js';
import type { CompressRequest, CompressResponse, CompressWorkerConfig, StopRequest } from './compress-protocol.js';

const config = workerData as CompressWorkerConfig;
const port = parentPort;
if (!port) throw new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', 'compress-worker must run as a worker thread');
const fd = config.fd;
const zero = Buffer.alloc(config.clusterSize);

port.on('message', (req: CompressRequest | StopRequest) => {
  if (req.kind === 'stop') {
    port.close(); // nothing else keeps the thread alive: it ends between batches, never inside zlib
    return;
  }
  let res: CompressResponse;
  try {
    res = compressBatch(req);
  } catch (err) {
    res = { kind: 'failed', seq: req.seq, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(res, res.kind === 'done' ? [res.data.buffer as ArrayBuffer, res.entries.buffer as ArrayBuffer] : []);
});

function compressBatch(req: CompressRequest): CompressResponse {
  const size = config.clusterSize;
  const input = Buffer.alloc(req.count * size); // zero-filled: a short final read is padded as QEMU pads
  readFully(input, req.first * size);
  const entries = new Int32Array(req.count);
  const parts: Buffer[] = [];
  for (let i = 0; i < req.count; i++) {
    const cluster = input.subarray(i * size, (i + 1) * size);
    if (cluster.equals(zero)) continue;
    const packed = deflateRawSync(cluster, { level: config.level, windowBits: 12, memLevel: 9 });
    if (packed.length < size) {
      entries[i] = packed.length;
      parts.push(packed);
    } else {
      entries[i] = -1;
      parts.push(cluster);
    }
  }
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { kind: 'done', seq: req.seq, entries, data };
}

function readFully(buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, position + done);
    if (n === 0) return; // end of file
    done += n;
  }
}
