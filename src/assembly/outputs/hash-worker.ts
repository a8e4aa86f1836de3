/**
 * Worker thread: one hash (md5 or sha256) over the chunks it is sent, in
 * order. The chunks live in shared memory the main thread filled once; this
 * thread only reads them, so md5 and sha256 of the same bytes run on two
 * cores while the main thread goes on writing.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { AssemblyError } from '../assembly-error.js';
import type { HashRequest, HashResponse, HashWorkerConfig } from './hash-protocol.js';

const config = workerData as HashWorkerConfig;
const port = parentPort;
if (!port) throw new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', 'hash-worker must run as a worker thread');
const hash = createHash(config.algorithm);

port.on('message', (req: HashRequest) => {
  let res: HashResponse;
  try {
    if (req.kind === 'chunk') {
      hash.update(new Uint8Array(req.data, 0, req.length));
      res = { kind: 'ack' };
    } else {
      res = { kind: 'digest', hex: hash.digest('hex') };
    }
  } catch (err) {
    res = { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(res);
});
