/**
 * `Zk.multiRead` for ZkClient: many getData/getChildren in few requests
 * (ZooKeeper >= 3.6 OpCode multiRead), or single reads on older servers.
 *
 * - Big batches are cut into requests of at most MAX_OPS_PER_REQUEST ops and
 *   MAX_REQUEST_BYTES (the server drops a connection whose request exceeds its
 *   jute.maxbuffer, ~1 MiB by default). Each request is one operation of the
 *   client: operation timeout, session expiry, close and chroot as for a get.
 * - Results keep op order; NO_NODE gives null; any other error rejects the
 *   whole call (a ZkError naming the op's path).
 * - Support is learnt once per client and remembered: until it is known, the
 *   first request goes alone and the others wait, because a server before 3.6
 *   answers UNIMPLEMENTED and drops the connection, failing whatever else was
 *   in flight on it. After that answer every call reads node by node, once the
 *   connection is back (the session survives; the client emits `suspended`
 *   and `connected` once). Requests of other callers already in flight when
 *   the first multiRead reaches an old server fail with CONNECTION_LOSS, as on
 *   any connection drop.
 */
import type { Client } from 'node-zookeeper-client';
import { ZkError } from '../errors/zk-error.js';
import type { ZkReadOp, ZkReadResult, ZkStat } from './zk-types.js';
import type { LibraryDone } from './timed-call.js';
import type { ZkLogger } from './zk-logger.js';
import { queueMultiRead, validateLibraryPath, ZK_UNIMPLEMENTED } from './library-wire.js';
import {
  MULTI_READ_BODY_BYTES,
  multiReadOpBytes,
  OP_GET_CHILDREN,
  OP_GET_DATA,
  type WireReadOp,
  type WireReadResult,
} from './multi-read-codec.js';
import { libraryErrorCode, libraryException, toZkError, ZK_NO_NODE } from './zk-error-map.js';

export const MAX_OPS_PER_REQUEST = 1000;
export const MAX_REQUEST_BYTES = 512 * 1024;

/** `unknown` until the first request is answered; `single-reads` once the server turned multiRead down. */
export type MultiReadSupport = 'unknown' | 'native' | 'single-reads';

/** What the client lends: its request runner (ZkClient.call) and single reads. */
export interface MultiReadHost {
  call<T>(operation: string, path: string, invoke: (raw: Client, done: LibraryDone<T>) => void): Promise<T>;
  get(path: string): Promise<{ data: Buffer; stat: ZkStat } | null>;
  getChildren(path: string): Promise<string[] | null>;
  chroot: string | undefined;
  operationTimeoutMs: number;
  logger: ZkLogger;
}

export class MultiReader {
  private support: MultiReadSupport = 'unknown';
  /** settles (never rejects) when the request that learns the support is answered */
  private probing: Promise<void> | undefined;
  /** after an UNIMPLEMENTED answer: resolves once the dropped connection is back (or after the operation timeout) */
  private reconnected: Promise<void> = Promise.resolve();

  constructor(private readonly host: MultiReadHost) {}

  get supportState(): MultiReadSupport {
    return this.support;
  }

  async read(ops: readonly ZkReadOp[]): Promise<ZkReadResult[]> {
    if (ops.length === 0) return [];
    const requests = splitRequests(ops.map(toWireOp), this.host.chroot);
    const native = this.support === 'single-reads' ? null : await this.readNative(requests);
    if (native) return native.flat();
    await this.reconnected;
    return Promise.all(ops.map((op) => (op.op === 'get' ? this.host.get(op.path) : this.host.getChildren(op.path))));
  }

  /** null when the server has no multiRead */
  private async readNative(requests: WireReadOp[][]): Promise<ZkReadResult[][] | null> {
    try {
      while (this.support === 'unknown') {
        if (!this.probing) return await this.probeWith(requests);
        await this.probing;
      }
      if (this.support === 'single-reads') return null;
      return await Promise.all(requests.map((request) => this.request(request)));
    } catch (err) {
      if (err instanceof ZkError && err.zkCode === ZK_UNIMPLEMENTED) return null;
      throw err;
    }
  }

  /** Sends the first request alone; the rest follow once it is answered. */
  private async probeWith(requests: WireReadOp[][]): Promise<ZkReadResult[][]> {
    const [first, ...rest] = requests as [WireReadOp[], ...WireReadOp[][]];
    const probe = this.request(first);
    const settled: Promise<void> = probe.then(
      () => this.probeDone(settled),
      () => this.probeDone(settled),
    );
    this.probing = settled;
    const firstResults = await probe;
    return [firstResults, ...(await Promise.all(rest.map((request) => this.request(request))))];
  }

  private probeDone(probe: Promise<void>): void {
    if (this.probing === probe) this.probing = undefined;
  }

  private async request(ops: WireReadOp[]): Promise<ZkReadResult[]> {
    const first = (ops[0] as WireReadOp).path;
    const shown = ops.length > 1 ? `${first} (+${ops.length - 1} more)` : first;
    const results = await this.host.call<WireReadResult[]>('multiRead', shown, (raw, done) => {
      queueMultiRead(raw, ops, (err, replies) => {
        // On an UNIMPLEMENTED answer this runs inside the library's socket
        // reader, before anything else can be queued for the dropped connection.
        if (err && libraryErrorCode(err) === ZK_UNIMPLEMENTED) this.turnedDown(raw);
        else if (!err && this.support === 'unknown') this.support = 'native';
        done(err, replies);
      });
    });
    return toReadResults(ops, results);
  }

  private turnedDown(raw: Client): void {
    if (this.support !== 'single-reads') {
      this.host.logger.info({}, 'ZooKeeper server has no multiRead (before 3.6): reading node by node');
    }
    this.support = 'single-reads';
    this.reconnected = nextConnection(raw, this.host.operationTimeoutMs);
  }
}

/** Resolves on the client's next connection (library-wire.ts dropped the current one), its expiry, or the timeout. */
function nextConnection(raw: Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      raw.removeListener('connected', done);
      raw.removeListener('expired', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.once('connected', done);
    raw.once('expired', done);
  });
}

function toWireOp(op: ZkReadOp): WireReadOp {
  if (op.op !== 'get' && op.op !== 'getChildren') {
    throw new ZkError('KILN_ZK_ERROR', `ZooKeeper multiRead: unknown read ${JSON.stringify(op.op)} for ${op.path}`, { path: op.path });
  }
  try {
    validateLibraryPath(op.path);
  } catch (err) {
    throw toZkError(err, 'multiRead', op.path);
  }
  return { type: op.op === 'get' ? OP_GET_DATA : OP_GET_CHILDREN, path: op.path };
}

function splitRequests(ops: WireReadOp[], chroot: string | undefined): WireReadOp[][] {
  const requests: WireReadOp[][] = [];
  let current: WireReadOp[] = [];
  let bytes = MULTI_READ_BODY_BYTES;
  for (const op of ops) {
    const opBytes = multiReadOpBytes(op.path, chroot);
    if (current.length > 0 && (current.length >= MAX_OPS_PER_REQUEST || bytes + opBytes > MAX_REQUEST_BYTES)) {
      requests.push(current);
      current = [];
      bytes = MULTI_READ_BODY_BYTES;
    }
    current.push(op);
    bytes += opBytes;
  }
  requests.push(current);
  return requests;
}

/** Wire results to ZkReadResult, checked against the ops they answer. */
function toReadResults(ops: WireReadOp[], results: WireReadResult[]): ZkReadResult[] {
  if (results.length !== ops.length) {
    throw new ZkError('KILN_ZK_ERROR', `ZooKeeper multiRead: ${results.length} results for ${ops.length} reads`);
  }
  return results.map((result, i) => {
    const op = ops[i] as WireReadOp;
    if (Array.isArray(result)) {
      if (op.type === OP_GET_CHILDREN) return result;
    } else if ('error' in result) {
      if (result.error === ZK_NO_NODE) return null;
      throw toZkError(libraryException(result.error), 'multiRead', op.path);
    } else if (op.type === OP_GET_DATA) {
      return result;
    }
    throw new ZkError('KILN_ZK_ERROR', `ZooKeeper multiRead ${op.path}: the reply does not match the read`, { path: op.path });
  });
}
