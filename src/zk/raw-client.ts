/**
 * Lifecycle of one node-zookeeper-client instance (one ZooKeeper session):
 * create, wait for the first connection with a deadline, close for good.
 * ZkClient (zk-client.ts) owns one at a time and replaces it after an expiry,
 * because the library never reconnects an expired session.
 */
import zookeeper from 'node-zookeeper-client';
import type { Client } from 'node-zookeeper-client';
import { connectionManager, MANAGER_STATES } from './library-internals.js';
import { formatHostPort } from './connect-string.js';
import { installWirePatches } from './library-wire.js';

export interface RawEndpoint {
  host: string;
  port: number;
}

export interface RawClientOptions {
  endpoints: readonly RawEndpoint[];
  chroot: string | undefined;
  sessionTimeoutMs: number;
  /** resume an existing session (tests use this to force an expiry) */
  session?: { id: Buffer; password: Buffer };
}

export function createRawClient(options: RawClientOptions): Client {
  // Before the first connection: the library binds its socket handlers when it connects.
  installWirePatches();
  const connectString = `${options.endpoints.map(formatHostPort).join(',')}${options.chroot ?? ''}`;
  const libraryOptions = {
    sessionTimeout: options.sessionTimeoutMs,
    // The library's exponential retry only covers CONNECTION_LOSS and hides it
    // from us; Kiln decides about retries itself.
    retries: 0,
    spinDelay: 500,
    sessionId: options.session?.id,
    sessionPassword: options.session?.password,
  };
  const client = zookeeper.createClient(connectString, libraryOptions);
  // The library's parser splits `host:port` on ':', which mangles IPv6
  // literals; hand it the endpoints as they are (shuffled like it does).
  connectionManager(client).servers = shuffle(options.endpoints.map((e) => ({ host: unbracket(e.host), port: e.port })));
  return client;
}

/** Resolves true once connected, false when `timeoutMs` passes first (the library retries dead ports forever). */
export function waitConnected(client: Client, timeoutMs: number): Promise<boolean> {
  if (connectionManager(client).state === MANAGER_STATES.CONNECTED) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onConnected = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      client.removeListener('connected', onConnected);
      resolve(false);
    }, timeoutMs);
    client.once('connected', onConnected);
  });
}

/**
 * Closes the session (the server deletes its ephemerals at once) and resolves
 * when the library is done. A client that is not connected is torn down
 * directly: there is no session to close and its retry loop must stop.
 */
export async function closeRawClient(client: Client, timeoutMs = 5000): Promise<void> {
  const manager = connectionManager(client);
  if (manager.state === MANAGER_STATES.CLOSED) return;
  if (manager.state !== MANAGER_STATES.CONNECTED) {
    client.close();
    tearDownSocket(client);
    return;
  }
  await new Promise<void>((resolve) => {
    const onState = (state: number): void => {
      if (state === MANAGER_STATES.CLOSED) finish();
    };
    const finish = (): void => {
      clearTimeout(timer);
      manager.removeListener('state', onState);
      resolve();
    };
    const timer = setTimeout(() => {
      tearDownSocket(client);
      finish();
    }, timeoutMs);
    manager.on('state', onState);
    client.close();
  });
}

function tearDownSocket(client: Client): void {
  const manager = connectionManager(client);
  if (manager.connectTimeoutHandler) clearTimeout(manager.connectTimeoutHandler);
  manager.socket?.destroy();
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
