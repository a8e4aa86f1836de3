/**
 * node-zookeeper-client 1.1.3 private internals, part two (part one:
 * library-internals.ts): its connection manager's socket handling and its
 * jute request classes. This file is the only place that touches them; a
 * library upgrade must re-check every item below.
 *
 * 1. multiRead (OpCode 22, ZooKeeper >= 3.6), which the library does not know:
 *    - the request goes through `ConnectionManager#queue` as a
 *      `jute.Request(jute.protocol.RequestHeader, payload)`, like the
 *      library's own operations: it gets the chroot (`setChrootPath`), the
 *      next xid when sent, and its place in `pendingQueue`; replies come back
 *      in order;
 *    - the reply must be taken before the library's handler sees it: that
 *      handler destroys the socket on a successful reply to an opcode it does
 *      not know. The patched `onSocketData` takes a frame when the head of
 *      `pendingQueue` is a multiRead with the frame's xid, updates
 *      `zxid` as the library does, and calls the request's callback with the
 *      decoded results (multi-read-codec.ts) or a library Exception.
 * 2. One frame at a time: the library's `onSocketData` handles one reply and
 *    then re-copies the whole rest of the chunk (`Buffer.concat` of its
 *    pending buffer) for the next one, quadratic in the replies per chunk.
 *    The patched handler splits frames itself and hands the library exactly
 *    one frame per call, so the library's own pending buffer stays empty.
 * 3. Corked writes: `onPacketQueueReadable` writes each request with its own
 *    `socket.write` (one syscall each); requests queued in the same tick are
 *    corked and leave in one writev on the next tick.
 *
 * The patches go on `ConnectionManager.prototype` once, before any client
 * connects (createRawClient calls installWirePatches): the library binds
 * `onSocketData` when it opens a socket. A connection whose library handler
 * holds a partial frame (one opened before the patch) is left to the stock
 * handler.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Client } from 'node-zookeeper-client';
import { connectionManager, MANAGER_STATES } from './library-internals.js';
import { libraryException } from './zk-error-map.js';
import { FrameReader } from './frame-reader.js';
import { decodeMultiReadReply, MultiReadBody, type WireReadOp, type WireReadResult } from './multi-read-codec.js';

/** ZooDefs.OpCode.multiRead */
export const OP_MULTI_READ = 22;
/** KeeperException.Code.UNIMPLEMENTED: what servers before 3.6 answer to OpCode 22 (then they drop the connection). */
export const ZK_UNIMPLEMENTED = -6;

const REPLY_HEADER_BYTES = 16; // int xid, long zxid, int err

export type MultiReadCallback = (err: unknown, results?: WireReadResult[]) => void;

/** Queues one multiRead request on the client's connection. Paths must be valid (see validateLibraryPath). */
export function queueMultiRead(client: Client, ops: readonly WireReadOp[], callback: MultiReadCallback): void {
  if (!installed) throw new Error('multiRead needs the wire patches installed before the client connects (createRawClient)');
  const header = new jute.protocol.RequestHeader();
  header.type = OP_MULTI_READ;
  wire(client).queue(new jute.Request(header, new MultiReadPayload(ops)), callback);
}

/** The library's path check (lib/Path.js), as its own getData applies it: throws an AssertionError. */
export function validateLibraryPath(path: string): void {
  // The common case, decided without the library's regular expressions (a
  // sweep checks 90,000 paths): absolute, no trailing slash, no empty or
  // dot-led segment. Anything else gets the library's verdict.
  if (typeof path === 'string' && path[0] === '/' && (path.length === 1 || (!path.endsWith('/') && !path.includes('//') && !path.includes('/.')))) {
    return;
  }
  pathModule.validate(path);
}

/** Idempotent; must run before the first client connects. */
export function installWirePatches(): void {
  if (installed) return;
  installed = true;
  const proto = ConnectionManager.prototype;
  const stockOnData = proto.onSocketData;
  const stockOnQueueReadable = proto.onPacketQueueReadable;

  proto.onSocketData = function onSocketData(this: ManagerWire, chunk: Buffer): void {
    if (this.pendingBuffer) {
      stockOnData.call(this, chunk);
      return;
    }
    let reader = readers.get(this);
    if (!reader || reader.socket !== this.socket) {
      // A new socket: whatever was left of the old one's stream is void.
      reader = { socket: this.socket, frames: new FrameReader() };
      readers.set(this, reader);
    }
    const socket = this.socket;
    const complete = reader.frames.push(chunk, (frame) => {
      if (!takeMultiReadReply(this, frame)) stockOnData.call(this, frame);
      // The library destroys the socket on a reply it cannot place; the rest of the chunk is void then.
      return !socket?.destroyed;
    });
    // A negative frame length: the stream is garbage; the library reconnects on such trouble too.
    if (!complete) socket?.destroy();
  };

  proto.onPacketQueueReadable = function onPacketQueueReadable(this: ManagerWire): void {
    const socket = this.socket;
    if (socket && !socket.destroyed && socket.writableCorked === 0) {
      socket.cork();
      process.nextTick(() => socket.uncork());
    }
    stockOnQueueReadable.call(this);
  };
}

// --- reply interception -------------------------------------------------------

/** True when the frame was the reply to the multiRead at the head of the pending queue (and is handled). */
function takeMultiReadReply(manager: ManagerWire, frame: Buffer): boolean {
  // While connecting, the next frame is the connect response (no reply header).
  if (manager.state === MANAGER_STATES.CONNECTING) return false;
  const head = manager.pendingQueue[0];
  const header = head?.request.header;
  if (!head || header?.type !== OP_MULTI_READ) return false;
  // Pings, notifications and auth replies have their own xids; a wrong xid is the library's to handle (it reconnects).
  if (frame.length < 4 + REPLY_HEADER_BYTES || frame.readInt32BE(4) !== header.xid) return false;
  manager.pendingQueue.shift();
  manager.zxid = Buffer.from(frame.subarray(8, 16));
  const err = frame.readInt32BE(16);
  if (err !== 0) {
    // An old server drops the connection right after this reply; dropping it
    // now keeps anything else from being written into it.
    if (err === ZK_UNIMPLEMENTED) manager.socket?.destroy();
    head.callback(libraryException(err));
    return true;
  }
  let results: WireReadResult[];
  try {
    results = decodeMultiReadReply(frame, 4 + REPLY_HEADER_BYTES);
  } catch (decodeError) {
    // Framing is by length, so the stream is still in step: only this call fails.
    head.callback(decodeError);
    return true;
  }
  head.callback(null, results);
  return true;
}

// --- the library's private modules, typed --------------------------------------

interface JuteHeader {
  xid: number;
  type: number;
}

interface JutePayload {
  setChrootPath(path: string | undefined): void;
  byteLength(): number;
  serialize(buffer: Buffer, offset: number): number;
}

interface JuteRequest {
  header: JuteHeader | null;
  payload: JutePayload | null;
}

interface Packet {
  request: JuteRequest;
  callback: (err: unknown, response?: unknown) => void;
}

interface ManagerWire {
  state: number;
  socket: Socket | undefined;
  pendingBuffer: Buffer | null;
  pendingQueue: Packet[];
  zxid: Buffer;
  queue(request: JuteRequest, callback: MultiReadCallback): void;
  onSocketData(chunk: Buffer): void;
  onPacketQueueReadable(): void;
}

interface JuteModule {
  Request: new (header: JuteHeader, payload: JutePayload) => JuteRequest;
  protocol: { RequestHeader: new () => JuteHeader };
}

/** The request body as the library's Request.toBuffer wants it: chroot first, then size, then bytes. */
class MultiReadPayload implements JutePayload {
  private chroot: string | undefined;
  private body: MultiReadBody | undefined;

  constructor(private readonly ops: readonly WireReadOp[]) {}

  setChrootPath(path: string | undefined): void {
    this.chroot = path;
    this.body = undefined;
  }

  byteLength(): number {
    return this.encoded().byteLength;
  }

  serialize(buffer: Buffer, offset: number): number {
    return this.encoded().write(buffer, offset);
  }

  private encoded(): MultiReadBody {
    this.body ??= new MultiReadBody(this.ops, this.chroot);
    return this.body;
  }
}

function wire(client: Client): ManagerWire {
  return connectionManager(client) as unknown as ManagerWire;
}

const requireLibrary = createRequire(import.meta.url);
const ConnectionManager = requireLibrary('node-zookeeper-client/lib/ConnectionManager.js') as { prototype: ManagerWire };
const jute = requireLibrary('node-zookeeper-client/lib/jute/index.js') as JuteModule;
const pathModule = requireLibrary('node-zookeeper-client/lib/Path.js') as { validate(path: string): void };
const readers = new WeakMap<ManagerWire, { socket: Socket | undefined; frames: FrameReader }>();
let installed = false;
