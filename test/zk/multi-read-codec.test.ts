import { createRequire } from 'node:module';
import {
  chrootedPath,
  decodeMultiReadReply,
  MULTI_READ_BODY_BYTES,
  MultiReadBody,
  multiReadOpBytes,
  OP_GET_CHILDREN,
  OP_GET_DATA,
  type WireReadOp,
} from '../../src/zk/multi-read-codec.js';
import { FrameReader } from '../../src/zk/frame-reader.js';
import { validateLibraryPath } from '../../src/zk/library-wire.js';
import { statFromWire, toZkStat } from '../../src/zk/zk-stat.js';
import type { Stat } from 'node-zookeeper-client';

/** The library's own jute records, the reference for the hand-written encoding. */
interface JuteRecord {
  path?: string;
  watch?: boolean;
  setChrootPath(path: string | undefined): void;
  byteLength(): number;
  serialize(buffer: Buffer, offset: number): number;
}
type JuteClass = new (...args: unknown[]) => JuteRecord;
const jute = createRequire(import.meta.url)('node-zookeeper-client/lib/jute/index.js') as {
  protocol: Record<'MultiHeader' | 'GetDataRequest' | 'GetChildren2Request', JuteClass>;
  data: { Stat: new () => Stat & { deserialize(buffer: Buffer, offset: number): number } };
};

function juteBody(ops: WireReadOp[], chroot: string | undefined): Buffer {
  const records: JuteRecord[] = [];
  for (const op of ops) {
    records.push(new jute.protocol.MultiHeader(op.type, false, -1));
    // GetChildrenRequest has the layout of GetChildren2Request {path, watch} (the library only lists the latter).
    const request = new (op.type === OP_GET_DATA ? jute.protocol.GetDataRequest : jute.protocol.GetChildren2Request)();
    request.path = op.path;
    request.watch = false;
    records.push(request);
  }
  records.push(new jute.protocol.MultiHeader(-1, true, -1));
  for (const r of records) r.setChrootPath(chroot);
  const buffer = Buffer.alloc(records.reduce((n, r) => n + r.byteLength(), 0));
  records.reduce((offset, r) => offset + r.serialize(buffer, offset), 0);
  return buffer;
}

function ourBody(ops: WireReadOp[], chroot: string | undefined): Buffer {
  const body = new MultiReadBody(ops, chroot);
  const buffer = Buffer.alloc(body.byteLength + 3, 0xee);
  expect(body.write(buffer, 2)).toBe(body.byteLength);
  expect(buffer[0]).toBe(0xee);
  expect(buffer[buffer.length - 1]).toBe(0xee);
  return buffer.subarray(2, 2 + body.byteLength);
}

const OPS: WireReadOp[] = [
  { type: OP_GET_DATA, path: '/' },
  { type: OP_GET_CHILDREN, path: '/' },
  { type: OP_GET_DATA, path: '/nodepool/images/ubuntu-jammy/builds/0000000001' },
  { type: OP_GET_CHILDREN, path: '/nodepool/images/ubuntu-jammy/builds' },
  { type: OP_GET_DATA, path: '/ünïcödé/名前' },
];

test.each([undefined, '/kiln-test-abc', '/a/b'])('the request body equals the library jute records byte for byte (chroot %s)', (chroot) => {
  expect(ourBody(OPS, chroot).equals(juteBody(OPS, chroot))).toBe(true);
  expect(ourBody([], chroot).equals(juteBody([], chroot))).toBe(true);
  const sized = OPS.reduce((n, op) => n + multiReadOpBytes(op.path, chroot), MULTI_READ_BODY_BYTES);
  expect(sized).toBe(juteBody(OPS, chroot).length);
});

test('chroot prefixing follows the library: "/" is the chroot itself', () => {
  expect(chrootedPath(undefined, '/a')).toBe('/a');
  expect(chrootedPath('/c', '/')).toBe('/c');
  expect(chrootedPath('/c', '/a/b')).toBe('/c/a/b');
});

/** A reply body as ZooKeeper's MultiResponse serializes it. */
function replyBody(): Buffer {
  const parts: Buffer[] = [];
  const int = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const header = (type: number, done: boolean, err: number): Buffer => Buffer.concat([int(type), Buffer.from([done ? 1 : 0]), int(err)]);
  const stat = Buffer.alloc(68);
  stat.writeBigInt64BE(1_700_000_000_123n, 16); // ctime
  stat.writeBigInt64BE(1_700_000_000_456n, 24); // mtime
  stat.writeInt32BE(7, 32); // version
  stat.writeInt32BE(3, 36); // cversion
  stat.writeBigUInt64BE(0x1000abcdef00001n, 44); // ephemeralOwner
  stat.writeInt32BE(2, 56); // numChildren
  parts.push(header(OP_GET_DATA, false, 0), int(5), Buffer.from('hello'), stat);
  parts.push(header(OP_GET_CHILDREN, false, 0), int(2), int(1), Buffer.from('a'), int(6), Buffer.from('名前'));
  parts.push(header(-1, false, -101), int(-101));
  parts.push(header(OP_GET_DATA, false, 0), int(-1), stat); // no data
  parts.push(header(-1, true, -1));
  return Buffer.concat(parts);
}

test('stats decode as the library decodes them (then toZkStat), large and negative fields included', () => {
  const longs = [0n, 1n, 1_700_000_000_123n, 2n ** 53n + 1n, 2n ** 62n + 12345n, -1n, -(2n ** 40n)];
  for (const [i, value] of longs.entries()) {
    const buffer = Buffer.alloc(68 + 3);
    buffer.writeBigInt64BE(value, 3 + 16); // ctime
    buffer.writeBigInt64BE(longs[(i + 1) % longs.length] as bigint, 3 + 24); // mtime
    buffer.writeInt32BE(-1 - i, 3 + 32);
    buffer.writeInt32BE(i, 3 + 36);
    buffer.writeBigInt64BE(longs[(i + 2) % longs.length] as bigint, 3 + 44); // ephemeralOwner
    buffer.writeInt32BE(i * 1000, 3 + 56);
    const stat = new jute.data.Stat();
    stat.deserialize(buffer, 3);
    expect(statFromWire(buffer, 3)).toEqual(toZkStat(stat));
  }
  expect(() => statFromWire(Buffer.alloc(67), 0)).toThrow(RangeError);
});

test('a reply decodes to data with stat, children, error codes, empty data', () => {
  const body = replyBody();
  const frame = Buffer.concat([Buffer.alloc(20), body]);
  const results = decodeMultiReadReply(frame, 20);
  const stat = { ctime: 1_700_000_000_123, mtime: 1_700_000_000_456, version: 7, cversion: 3, numChildren: 2, ephemeralOwner: String(0x1000abcdef00001n) };
  expect(results).toEqual([{ data: Buffer.from('hello'), stat }, ['a', '名前'], { error: -101 }, { data: Buffer.alloc(0), stat }]);
  // Data is a copy, not a view pinning (and sharing) the reply.
  frame.fill(0, 20);
  expect((results[0] as { data: Buffer }).data.toString()).toBe('hello');
  // A truncated reply throws instead of inventing results.
  expect(() => decodeMultiReadReply(frame.subarray(0, frame.length - 20), 20)).toThrow(RangeError);
});

test('the frame reader yields whole frames however the stream is cut', () => {
  const frame = (body: Buffer): Buffer => {
    const f = Buffer.alloc(4 + body.length);
    f.writeInt32BE(body.length);
    body.copy(f, 4);
    return f;
  };
  const small = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(3000, 7), Buffer.from('tail')].map(frame);
  const large = [Buffer.from('head'), Buffer.alloc(300_000, 9), Buffer.from('z')].map(frame);
  const cases: Array<[Buffer[], number[]]> = [
    [small, [1, 3, 4, 5, 7, 1000]],
    [large, [1000, 65536, 300_013]],
  ];
  for (const [frames, cuts] of cases) {
    const stream = Buffer.concat(frames);
    for (const cut of cuts) {
      const reader = new FrameReader();
      const seen: Buffer[] = [];
      let healthy = true;
      for (let o = 0; o < stream.length; o += cut) {
        healthy &&= reader.push(stream.subarray(o, o + cut), (f) => (seen.push(Buffer.from(f)), true));
      }
      expect(healthy).toBe(true);
      // Buffer#equals: jest's toEqual walks big buffers byte by byte, slowly.
      expect(seen.map((f, i) => f.equals(frames[i] as Buffer))).toEqual(frames.map(() => true));
    }
  }
  // A callback returning false drops the rest of the chunk; a negative length reports garbage.
  const stopping = new FrameReader();
  let calls = 0;
  stopping.push(Buffer.concat(small), () => (calls++, false));
  expect(calls).toBe(1);
  expect(new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xff]), () => true)).toBe(false);
});

test('multiRead path checks give the library verdict, fast path included', () => {
  const libraryValidate = (createRequire(import.meta.url)('node-zookeeper-client/lib/Path.js') as { validate(p: string): void }).validate;
  const verdict = (check: (p: string) => void, path: string): boolean => {
    try {
      check(path);
      return true;
    } catch {
      return false;
    }
  };
  const paths = ['/', '/a', '/a/b.c', '/.hidden', '/a/.b', '/a/..b', '/a/./b', '/a/../b', '/a/.', '/a/..', '/a/', '//', '/a//b', 'a', '', '/名前'];
  for (const path of paths) expect([path, verdict(validateLibraryPath, path)]).toEqual([path, verdict(libraryValidate, path)]);
  expect(verdict(validateLibraryPath, '/a/b')).toBe(true);
  expect(verdict(validateLibraryPath, '/a/../b')).toBe(false);
});
