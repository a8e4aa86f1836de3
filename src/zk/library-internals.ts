/**
 * The few private parts of node-zookeeper-client 1.1.3 Kiln relies on, typed in
 * one place so a library upgrade has one file to check:
 * - `connectionManager.servers`: the parsed server list. The library's parser
 *   splits `host:port` on `:`, which breaks IPv6 literals, so we set the list
 *   ourselves (see rawServers in raw-client.ts).
 * - `connectionManager.state`/`'state'` events: to learn when `close()` is done
 *   (the public client emits nothing for CLOSED).
 * - `connectionManager.socket`/`connectTimeoutHandler`: destroyed/cleared when
 *   closing a client that never connected (else it keeps retrying a dead port).
 * The wire-level ones (multiRead over the library's connection, its socket
 * reader and writer, its jute request classes) are in library-wire.ts.
 */
import type { Client } from 'node-zookeeper-client';
import type { Socket } from 'node:net';
import type { EventEmitter } from 'node:events';

/** ConnectionManager.STATES */
export const MANAGER_STATES = {
  CONNECTING: 1,
  CONNECTED: 2,
  CLOSED: -2,
  SESSION_EXPIRED: -3,
} as const;

interface ConnectionManagerInternals extends EventEmitter {
  servers: { host: string; port: number }[];
  state: number;
  socket: Socket | undefined;
  connectTimeoutHandler: NodeJS.Timeout | null;
}

export function connectionManager(client: Client): ConnectionManagerInternals {
  return (client as unknown as { connectionManager: ConnectionManagerInternals }).connectionManager;
}
