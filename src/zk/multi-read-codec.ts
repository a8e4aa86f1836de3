/**
 * The wire format of ZooKeeper's multiRead (OpCode 22, servers >= 3.6), the
 * part below the request/reply headers: pure byte work, no library.
 *
 * Request body (a MultiOperationRecord): per op a MultiHeader {int type,
 * boolean done=false, int err=-1} and a GetDataRequest / GetChildrenRequest
 * {ustring path, boolean watch=false}; then MultiHeader {-1, true, -1}.
 *
 * Reply body (a MultiResponse): per op a MultiHeader {type, done=false, err}
 * and GetDataResponse {buffer data, Stat} (type 4), GetChildrenResponse
 * {vector<ustring>} (type 8) or ErrorResponse {int err} (type -1); then
 * MultiHeader {-1, true, -1}.
 *
 * Hand-written rather than with the library's interpreted jute records (which
 * library-wire.ts still uses for the request header): measured here, jute
 * took ~0.35 s to encode 130,000 ops and ~0.5 s to decode 60,000 getData
 * results, against ~0.1 s each by hand, in a 2 s budget for a whole listing.
 * test/zk/multi-read-codec.test.ts checks the request bytes against the jute
 * records byte for byte, and the stats against the library's decoding.
 */
import type { ZkStat } from './zk-types.js';
import { STAT_BYTES, statFromWire } from './zk-stat.js';

export const OP_GET_DATA = 4;
export const OP_GET_CHILDREN = 8;
const OP_ERROR = -1;

const MULTI_HEADER_BYTES = 9; // int type, boolean done, int err
const OP_FIXED_BYTES = MULTI_HEADER_BYTES + 4 + 1; // header, path length, watch flag

/** One decoded result: data, children, or a ZooKeeper error code. */
export type WireReadResult = { data: Buffer; stat: ZkStat } | string[] | { error: number };

export interface WireReadOp {
  type: typeof OP_GET_DATA | typeof OP_GET_CHILDREN;
  path: string;
}

/** The path as the server must see it: the library's rule (lib/jute prependChroot), `/` is the chroot itself. */
export function chrootedPath(chroot: string | undefined, path: string): string {
  if (!chroot) return path;
  return path === '/' ? chroot : chroot + path;
}

/** A request body's fixed part (the closing header), to which multiReadOpBytes adds per op. */
export const MULTI_READ_BODY_BYTES = MULTI_HEADER_BYTES;

/** Bytes one op adds to a request body, for splitting big batches. */
export function multiReadOpBytes(path: string, chroot: string | undefined): number {
  return OP_FIXED_BYTES + Buffer.byteLength(chrootedPath(chroot, path));
}

/** An encoded request body, sized once (the library asks for the size, then serializes). */
export class MultiReadBody {
  private readonly paths: string[];
  private readonly pathBytes: number[];
  readonly byteLength: number;

  constructor(
    private readonly ops: readonly WireReadOp[],
    chroot: string | undefined,
  ) {
    this.paths = ops.map((op) => chrootedPath(chroot, op.path));
    this.pathBytes = this.paths.map((p) => Buffer.byteLength(p));
    this.byteLength = this.pathBytes.reduce((n, bytes) => n + OP_FIXED_BYTES + bytes, MULTI_READ_BODY_BYTES);
  }

  /** Writes the body at `offset`; returns the bytes written. */
  write(buffer: Buffer, offset: number): number {
    let o = offset;
    this.ops.forEach((op, i) => {
      o = writeMultiHeader(buffer, o, op.type, false);
      o = buffer.writeInt32BE(this.pathBytes[i] as number, o);
      o += buffer.write(this.paths[i] as string, o, 'utf8');
      o = buffer.writeUInt8(0, o); // watch = false
    });
    o = writeMultiHeader(buffer, o, -1, true);
    return o - offset;
  }
}

/** Decodes a reply body starting at `offset` (just after the reply header). Throws RangeError on a short frame. */
export function decodeMultiReadReply(frame: Buffer, offset: number): WireReadResult[] {
  const results: WireReadResult[] = [];
  let o = offset;
  for (;;) {
    const type = frame.readInt32BE(o);
    const done = frame.readUInt8(o + 4) !== 0;
    o += MULTI_HEADER_BYTES;
    if (done) return results;
    if (type === OP_GET_DATA) {
      const length = frame.readInt32BE(o);
      o += 4;
      // A copy, as the library's getData gives: a view would pin the whole reply frame.
      const data = length > 0 ? Buffer.from(frame.subarray(o, o + length)) : Buffer.alloc(0);
      if (length > 0) o += length;
      results.push({ data, stat: statFromWire(frame, o) });
      o += STAT_BYTES;
    } else if (type === OP_GET_CHILDREN) {
      const count = frame.readInt32BE(o);
      o += 4;
      const children: string[] = [];
      for (let i = 0; i < count; i++) {
        const length = frame.readInt32BE(o);
        o += 4;
        if (o + length > frame.length) throw new RangeError('multiRead reply: child name past the frame');
        children.push(frame.toString('utf8', o, o + length));
        o += length;
      }
      results.push(children);
    } else if (type === OP_ERROR) {
      results.push({ error: frame.readInt32BE(o) });
      o += 4;
    } else {
      throw new RangeError(`multiRead reply: unexpected result type ${type}`);
    }
  }
}

function writeMultiHeader(buffer: Buffer, o: number, type: number, done: boolean): number {
  o = buffer.writeInt32BE(type, o);
  o = buffer.writeUInt8(done ? 1 : 0, o);
  return buffer.writeInt32BE(-1, o);
}
