/**
 * Kiln's ZooKeeper client: the `Zk` contract (zk-types.ts) over
 * node-zookeeper-client, adding what the library lacks (toolchain.md §4):
 * promises that keep `stat`, a connect timeout (the library retries a dead port
 * forever), per-operation timeouts, typed errors, sequential creates on a
 * trailing-slash path, makeParents / ensurePath / recursive delete, chroot
 * creation, a new session after expiry (the library never reconnects an expired
 * session), TLS through a local tunnel, and multiRead (multi-read.ts).
 *
 * Session events (ZkEvents): `connected` on every (re)connect, `suspended` when
 * the connection drops, `expired` when the session is gone (the new session is
 * already being made, and operations issued from an `expired` listener wait
 * for it), `session` once the new session is usable, `closed` after close().
 * Watches set in an expired session are gone: holders re-set them on `session`.
 */
import { EventEmitter } from 'node:events';
import zookeeper from 'node-zookeeper-client';
import type { Client, Event as LibraryEvent } from 'node-zookeeper-client';
import { ZkError } from '../errors/zk-error.js';
import type {
  Zk,
  ZkConnectOptions,
  ZkCreateOptions,
  ZkCreateMode,
  ZkDeleteOptions,
  ZkEvents,
  ZkReadOp,
  ZkReadResult,
  ZkStat,
  ZkWatcher,
} from './zk-types.js';
import { buildConnectString, commonChroot, formatHostPort } from './connect-string.js';
import { closeRawClient, createRawClient, waitConnected, type RawClientOptions } from './raw-client.js';
import { connectionManager, MANAGER_STATES } from './library-internals.js';
import { withTrailingSlashAllowed } from './trailing-slash-patch.js';
import { libraryErrorCode, toZkError, ZK_NO_NODE } from './zk-error-map.js';
import { toZkStat } from './zk-stat.js';
import { deleteRecursive, ensurePath, type ZkPrimitives } from './zk-tree.js';
import { parentPath } from './zk-paths.js';
import { readTlsFiles } from './tls-files.js';
import { startTlsTunnel, type TlsTunnel } from './tls-tunnel.js';
import { silentZkLogger, type ZkLogger } from './zk-logger.js';
import { adaptWatcher } from './zk-watch.js';
import { timedCall, type LibraryDone } from './timed-call.js';
import { MultiReader, type MultiReadSupport } from './multi-read.js';

const DEFAULT_SESSION_TIMEOUT_S = 10;
const DEFAULT_CONNECT_TIMEOUT_MS = 15000;
const DEFAULT_OPERATION_TIMEOUT_MS = 30000;

const CREATE_MODES: Record<ZkCreateMode, number> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
  persistent_sequential: zookeeper.CreateMode.PERSISTENT_SEQUENTIAL,
  ephemeral_sequential: zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
};

interface ClientSetup {
  connectString: string;
  serversShown: string;
  raw: RawClientOptions;
  operationTimeoutMs: number;
  tunnel: TlsTunnel | undefined;
  logger: ZkLogger;
}

export class ZkClient extends EventEmitter implements Zk {
  readonly connectString: string;
  private raw: Client;
  private closed = false;
  private closing: Promise<void> | undefined;
  private wasConnected = false;
  private newSessionPending = false;
  private readonly tree: ZkPrimitives;
  private readonly multi: MultiReader;

  /** Connects (creating the chroot node if missing) or fails with KILN_ZK_CONNECT_TIMEOUT naming the servers. */
  static async connect(options: ZkConnectOptions, logger: ZkLogger = silentZkLogger): Promise<ZkClient> {
    const chroot = commonChroot(options.servers);
    const material = options.tls ? await readTlsFiles(options.tls) : undefined;
    const tunnel = material ? await startTlsTunnel(options.servers, material, logger) : undefined;
    const setup: ClientSetup = {
      connectString: buildConnectString(options.servers),
      serversShown: options.servers.map(formatHostPort).join(', ') + (tunnel ? ' (TLS)' : ''),
      raw: {
        endpoints: tunnel ? tunnel.endpoints : options.servers,
        chroot,
        sessionTimeoutMs: (options.timeoutSeconds ?? DEFAULT_SESSION_TIMEOUT_S) * 1000,
      },
      operationTimeoutMs: options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
      tunnel,
      logger,
    };
    const client = new ZkClient(setup);
    try {
      await client.start(options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      if (chroot !== undefined) await client.ensureChroot(chroot, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
      return client;
    } catch (err) {
      await client.close();
      throw err;
    }
  }

  private constructor(private readonly setup: ClientSetup) {
    super();
    // Every held lock and every waiting contender listens for session events.
    this.setMaxListeners(0);
    this.connectString = setup.connectString;
    this.raw = createRawClient(setup.raw);
    this.tree = {
      createNode: (path, data, mode) => this.createNode(path, data, mode),
      getChildren: (path) => this.getChildren(path),
      deleteNode: (path, version) => this.deleteNode(path, version),
    };
    this.multi = new MultiReader({
      call: (operation, path, invoke) => this.call(operation, path, invoke),
      get: (path) => this.get(path),
      getChildren: (path) => this.getChildren(path),
      chroot: setup.raw.chroot,
      operationTimeoutMs: setup.operationTimeoutMs,
      logger: setup.logger,
    });
  }

  get isConnected(): boolean {
    return !this.closed && connectionManager(this.raw).state === MANAGER_STATES.CONNECTED;
  }

  /** Whether the server answered multiRead natively (learnt on the first call, then remembered). */
  get multiReadSupport(): MultiReadSupport {
    return this.multi.supportState;
  }

  /** The library client of the current session; tests use it to force an expiry. */
  get rawClient(): Client {
    return this.raw;
  }

  async get(path: string, watcher?: ZkWatcher): Promise<{ data: Buffer; stat: ZkStat } | null> {
    return this.orNullIfMissing(
      this.call<{ data: Buffer; stat: ZkStat }>('get', path, (raw, done) => {
        const callback = (err: unknown, data: Buffer | undefined, stat: zookeeper.Stat): void =>
          err ? done(err) : done(null, { data: data ?? Buffer.alloc(0), stat: toZkStat(stat) });
        if (watcher) raw.getData(path, this.wrapWatcher(watcher), callback);
        else raw.getData(path, callback);
      }),
    );
  }

  async getChildren(path: string, watcher?: ZkWatcher): Promise<string[] | null> {
    return this.orNullIfMissing(
      this.call<string[]>('getChildren', path, (raw, done) => {
        const callback = (err: unknown, children: string[]): void => (err ? done(err) : done(null, children));
        if (watcher) raw.getChildren(path, this.wrapWatcher(watcher), callback);
        else raw.getChildren(path, callback);
      }),
    );
  }

  async exists(path: string, watcher?: ZkWatcher): Promise<ZkStat | null> {
    return this.call<ZkStat | null>('exists', path, (raw, done) => {
      const callback = (err: unknown, stat: zookeeper.Stat | null): void =>
        err ? done(err) : done(null, stat ? toZkStat(stat) : null);
      if (watcher) raw.exists(path, this.wrapWatcher(watcher), callback);
      else raw.exists(path, callback);
    });
  }

  async create(path: string, data?: Buffer | string, options: ZkCreateOptions = {}): Promise<string> {
    const mode = options.mode ?? 'persistent';
    const buffer = toBuffer(data);
    try {
      return await this.createNode(path, buffer, mode);
    } catch (err) {
      if (!options.makeParents || !(err instanceof ZkError) || err.code !== 'KILN_ZK_NO_NODE') throw err;
      // kazoo makepath: create the missing parents, then try once more.
      await this.ensurePath(parentPath(path));
      return this.createNode(path, buffer, mode);
    }
  }

  async set(path: string, data: Buffer | string, version = -1): Promise<ZkStat> {
    return this.call<ZkStat>('set', path, (raw, done) => {
      raw.setData(path, toBuffer(data), version, (err, stat) => (err ? done(err) : done(null, toZkStat(stat))));
    });
  }

  async delete(path: string, options: ZkDeleteOptions = {}): Promise<boolean> {
    const version = options.version ?? -1;
    return options.recursive ? deleteRecursive(this.tree, path, version) : this.deleteNode(path, version);
  }

  async ensurePath(path: string): Promise<void> {
    await ensurePath(this.tree, path);
  }

  multiRead(ops: ZkReadOp[]): Promise<ZkReadResult[]> {
    return this.multi.read(ops);
  }

  override on<E extends keyof ZkEvents>(event: E, listener: (...args: ZkEvents[E]) => void): this {
    return super.on(event, listener);
  }

  override off<E extends keyof ZkEvents>(event: E, listener: (...args: ZkEvents[E]) => void): this {
    return super.off(event, listener);
  }

  /** Final: closes the session (its ephemerals go at once) and the TLS tunnel. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      this.closing = this.shutdown();
    }
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await closeRawClient(this.raw);
    await this.setup.tunnel?.close();
    this.safeEmit('closed');
  }

  // --- connection lifecycle -------------------------------------------------

  private async start(connectTimeoutMs: number): Promise<void> {
    this.attach(this.raw);
    this.raw.connect();
    if (await waitConnected(this.raw, connectTimeoutMs)) return;
    const tlsHint = this.setup.tunnel?.lastError ? `; last TLS error: ${this.setup.tunnel.lastError}` : '';
    throw new ZkError(
      'KILN_ZK_CONNECT_TIMEOUT',
      `could not connect to ZooKeeper within ${connectTimeoutMs} ms; servers tried: ${this.setup.serversShown}${tlsHint}`,
    );
  }

  /**
   * The library prefixes every path with the chroot but never creates it, so
   * the first write under a fresh chroot would fail with NO_NODE. Kiln creates
   * it (kazoo does not); a root-level session is needed for nested chroots.
   */
  private async ensureChroot(chroot: string, connectTimeoutMs: number): Promise<void> {
    if (await this.exists('/')) return;
    const root = new ZkClient({ ...this.setup, tunnel: undefined, raw: { ...this.setup.raw, chroot: undefined } });
    try {
      await root.start(connectTimeoutMs);
      await root.ensurePath(chroot);
    } finally {
      await root.close();
    }
  }

  private attach(raw: Client): void {
    raw.on('connected', () => {
      if (raw !== this.raw || this.closed) return;
      this.wasConnected = true;
      this.safeEmit('connected');
      if (this.newSessionPending) {
        this.newSessionPending = false;
        this.setup.logger.info({ servers: this.setup.serversShown }, 'new ZooKeeper session after expiry');
        this.safeEmit('session');
      }
    });
    raw.on('disconnected', () => {
      if (raw !== this.raw || this.closed || !this.wasConnected) return;
      this.wasConnected = false;
      this.setup.logger.warn({ servers: this.setup.serversShown }, 'ZooKeeper connection suspended');
      this.safeEmit('suspended');
    });
    raw.on('expired', () => this.onExpired(raw));
  }

  /** The library never reconnects an expired session: replace the client, keep retrying until it connects. */
  private onExpired(expired: Client): void {
    if (expired !== this.raw || this.closed) return;
    this.setup.logger.warn({ servers: this.setup.serversShown }, 'ZooKeeper session expired; making a new session');
    this.wasConnected = false;
    this.newSessionPending = true;
    this.raw = createRawClient(this.setup.raw);
    this.attach(this.raw);
    this.raw.connect();
    void closeRawClient(expired);
    this.safeEmit('expired');
  }

  private safeEmit(event: keyof ZkEvents): void {
    try {
      this.emit(event);
    } catch (err) {
      this.setup.logger.error({ event, err }, 'ZooKeeper event listener threw');
    }
  }

  // --- single-node operations -----------------------------------------------

  private createNode(path: string, data: Buffer, mode: ZkCreateMode): Promise<string> {
    const flags = CREATE_MODES[mode];
    const sequential = mode === 'persistent_sequential' || mode === 'ephemeral_sequential';
    return this.call<string>('create', path, (raw, done) => {
      const issue = (): void => raw.create(path, data, flags, (err, created) => (err ? done(err) : done(null, created)));
      // Nodepool's upload ids: `…/images/` + sequence flag → `…/images/0000000001`.
      if (sequential && path.endsWith('/')) withTrailingSlashAllowed(issue);
      else issue();
    });
  }

  private deleteNode(path: string, version: number): Promise<boolean> {
    return this.call<boolean>('delete', path, (raw, done) => {
      raw.remove(path, version, (err) => {
        if (err && libraryErrorCode(err) === ZK_NO_NODE) done(null, false);
        else if (err) done(err);
        else done(null, true);
      });
    });
  }

  private async orNullIfMissing<T>(request: Promise<T>): Promise<T | null> {
    try {
      return await request;
    } catch (err) {
      if (err instanceof ZkError && err.code === 'KILN_ZK_NO_NODE') return null;
      throw err;
    }
  }

  /**
   * Runs one library call with the operation timeout. While there is no
   * connection the library queues requests; a request still unanswered when
   * the timeout passes fails with CONNECTION_LOSS if we were disconnected (the
   * server may or may not have applied it), else OPERATION_TIMEOUT.
   */
  private call<T>(operation: string, path: string, invoke: (raw: Client, done: LibraryDone<T>) => void): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError(operation, path));
    const timeoutMs = this.setup.operationTimeoutMs;
    return timedCall<T>({
      timeoutMs,
      invoke: (done) => invoke(this.raw, done),
      onTimeout: () => {
        const connected = this.isConnected;
        const code = connected ? 'KILN_ZK_OPERATION_TIMEOUT' : 'KILN_ZK_CONNECTION_LOSS';
        const why = connected ? 'no reply' : `not connected to ${this.setup.serversShown}`;
        return new ZkError(code, `ZooKeeper ${operation} ${path}: ${why} within ${timeoutMs} ms`, { path });
      },
      mapError: (err) => {
        const mapped = toZkError(err, operation, path);
        return this.closed && mapped.code === 'KILN_ZK_CONNECTION_LOSS' ? this.closedError(operation, path) : mapped;
      },
    });
  }

  private closedError(operation: string, path: string): ZkError {
    return new ZkError('KILN_ZK_CLOSED', `ZooKeeper ${operation} ${path}: client closed`, { path });
  }

  private wrapWatcher(watcher: ZkWatcher): (event: LibraryEvent) => void {
    return adaptWatcher(watcher, () => !this.closed, this.setup.logger);
  }
}

function toBuffer(data: Buffer | string | undefined): Buffer {
  if (data === undefined) return Buffer.alloc(0);
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}
