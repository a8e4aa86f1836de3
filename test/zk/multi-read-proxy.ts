/**
 * A TCP proxy in front of the test ZooKeeper that counts the multiRead
 * requests (OpCode 22) passing through and does one of:
 * - `pass`: nothing more;
 * - `unimplemented`: plays a ZooKeeper older than 3.6. It rewrites them to an
 *   opcode no server knows, so the real server does exactly what 3.4/3.5 do
 *   with OpCode 22 (UnimplementedRequestProcessor): it answers that request
 *   with UNIMPLEMENTED (-6), in order, and drops the connection; the session
 *   lives on;
 * - `drop`: swallows them, as a server that never answers: the client's
 *   timeout fires, and the next reply carries an xid the client does not
 *   expect.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

const OP_MULTI_READ = 22;
const UNKNOWN_OPCODE = 999;

export interface MultiReadProxy {
  port: number;
  /** multiRead requests seen so far */
  readonly multiReads: number;
  close(): Promise<void>;
}

export type MultiReadHandling = 'pass' | 'unimplemented' | 'drop';

export async function startMultiReadProxy(upstreamPort: number, handling: MultiReadHandling): Promise<MultiReadProxy> {
  const sockets = new Set<Socket>();
  let multiReads = 0;
  const server: Server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    upstream.pipe(client);
    forwardRequests(client, upstream, (frame) => {
      multiReads++;
      if (handling === 'unimplemented') frame.writeInt32BE(UNKNOWN_OPCODE, 8);
      return handling !== 'drop';
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get multiReads() {
      return multiReads;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Client → server frames; the first is the connect request (no request header), the rest start with {xid, type}. */
function forwardRequests(client: Socket, upstream: Socket, onMultiRead: (frame: Buffer) => boolean): void {
  let pending = Buffer.alloc(0);
  let first = true;
  client.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
      const frame = Buffer.from(pending.subarray(0, 4 + pending.readInt32BE(0)));
      pending = pending.subarray(frame.length);
      const isMultiRead = !first && frame.length >= 12 && frame.readInt32BE(8) === OP_MULTI_READ;
      first = false;
      if (!isMultiRead || onMultiRead(frame)) upstream.write(frame);
    }
  });
}
