/**
 * TLS for node-zookeeper-client, which only opens plain sockets: a local
 * plaintext listener on 127.0.0.1:<random> per configured server, each accepted
 * connection piped through `tls.connect` to the real server with the client
 * certificate, verifying the server against the configured CA. The library
 * connects to the tunnel ports (the chroot stays in its connect string), so
 * nothing of the library is replaced. One tunnel lives as long as its ZkClient.
 */
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { ZkServer } from './zk-types.js';
import type { TlsMaterial } from './tls-files.js';
import type { RawEndpoint } from './raw-client.js';
import { formatHostPort } from './connect-string.js';
import type { ZkLogger } from './zk-logger.js';

export interface TlsTunnel {
  /** where the library connects, one per server, in the servers' order */
  readonly endpoints: RawEndpoint[];
  /** the last TLS failure (handshake, verification), for connect-timeout messages */
  readonly lastError: string | undefined;
  close(): Promise<void>;
}

export async function startTlsTunnel(servers: readonly ZkServer[], material: TlsMaterial, logger: ZkLogger): Promise<TlsTunnel> {
  const sockets = new Set<Socket>();
  const listeners: Server[] = [];
  const state: { lastError: string | undefined } = { lastError: undefined };
  const endpoints: RawEndpoint[] = [];
  try {
    for (const server of servers) {
      const listener = createServer((plain) => forward(plain, server));
      listeners.push(listener);
      endpoints.push({ host: '127.0.0.1', port: await listen(listener) });
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  function forward(plain: Socket, server: ZkServer): void {
    const host = server.host.replace(/^\[|\]$/g, '');
    const secure = tlsConnect({
      host,
      port: server.port,
      cert: material.cert,
      key: material.key,
      ca: material.ca,
      // SNI must not carry an IP literal (RFC 6066); the certificate is still checked against `host`.
      ...(isIP(host) === 0 ? { servername: host } : {}),
    });
    sockets.add(plain).add(secure);
    const teardown = (): void => {
      plain.destroy();
      secure.destroy();
      sockets.delete(plain);
      sockets.delete(secure);
    };
    secure.on('error', (err) => {
      state.lastError = `TLS to ${formatHostPort(server)}: ${err.message}`;
      logger.warn({ server: formatHostPort(server), err: err.message }, 'ZooKeeper TLS connection failed');
      teardown();
    });
    plain.on('error', teardown);
    plain.on('close', teardown);
    secure.on('close', teardown);
    plain.pipe(secure);
    secure.pipe(plain);
  }

  async function closeAll(): Promise<void> {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await Promise.all(listeners.map((l) => new Promise<void>((resolve) => (l.listening ? l.close(() => resolve()) : resolve()))));
  }

  return {
    endpoints,
    get lastError() {
      return state.lastError;
    },
    close: closeAll,
  };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}
