/**
 * The contract of Kiln's ZooKeeper layer. Everything above src/zk talks to this
 * interface only; `ZkClient` (zk-client.ts) implements it over node-zookeeper-client.
 */

/** One `zookeeper-servers` entry, as in nodepool.yaml. */
export interface ZkServer {
  host: string;
  port: number;
  chroot?: string;
}

export interface ZkTlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface ZkConnectOptions {
  servers: ZkServer[];
  /** `zookeeper-timeout` in seconds (session timeout); default 10. */
  timeoutSeconds?: number;
  tls?: ZkTlsFiles;
  /** How long `connect()` waits for a first session before failing (ms); default 15000. */
  connectTimeoutMs?: number;
  /** Per-operation reply timeout (ms); default 30000. */
  operationTimeoutMs?: number;
}

export interface ZkStat {
  /** creation time, ms since the epoch */
  ctime: number;
  /** last modification time, ms since the epoch */
  mtime: number;
  version: number;
  cversion: number;
  numChildren: number;
  /** session id of the owner if ephemeral, else '0' */
  ephemeralOwner: string;
}

export type ZkCreateMode = 'persistent' | 'ephemeral' | 'persistent_sequential' | 'ephemeral_sequential';

export type ZkWatchEventType = 'created' | 'deleted' | 'data_changed' | 'children_changed';

export interface ZkWatchEvent {
  type: ZkWatchEventType;
  path: string;
}

/** A one-shot watcher, as ZooKeeper's watches are. */
export type ZkWatcher = (event: ZkWatchEvent) => void;

export interface ZkCreateOptions {
  mode?: ZkCreateMode;
  /** create missing parents as empty persistent nodes */
  makeParents?: boolean;
}

export interface ZkDeleteOptions {
  /** delete children first (depth first) */
  recursive?: boolean;
  /** expected version; -1/undefined = any */
  version?: number;
}

/**
 * Session lifecycle, emitted by the client:
 * - `connected`: a session is usable (first connect or after a reconnect);
 * - `suspended`: connection lost, the session may still come back;
 * - `expired`: the session is gone, with its ephemeral nodes; a new session is
 *   being made. Locks subscribe to this to learn they are lost.
 * - `session`: a *new* session was established after an expiry; holders of
 *   ephemeral registrations re-create them.
 */
export interface ZkEvents {
  connected: [];
  suspended: [];
  expired: [];
  session: [];
  closed: [];
}

/**
 * One read of a batched `multiRead` request. There is no `exists`: a `get`
 * answers it (null when missing, else the stat) at the cost of the data.
 */
export interface ZkReadOp {
  op: 'get' | 'getChildren';
  path: string;
}

/** Per op, in order: get → {data, stat}; getChildren → names; a missing node → null. */
export type ZkReadResult = { data: Buffer; stat: ZkStat } | string[] | null;

export interface Zk {
  /** "host:port,host:port/chroot" as used for this connection */
  readonly connectString: string;
  readonly isConnected: boolean;

  /** null when the node does not exist */
  get(path: string, watcher?: ZkWatcher): Promise<{ data: Buffer; stat: ZkStat } | null>;
  /** null when the node does not exist */
  getChildren(path: string, watcher?: ZkWatcher): Promise<string[] | null>;
  /** null when the node does not exist; the watcher also fires on creation */
  exists(path: string, watcher?: ZkWatcher): Promise<ZkStat | null>;
  /**
   * Returns the created path. A path ending in `/` with a sequential mode is
   * allowed (Nodepool names upload nodes that way: bare 10-digit names).
   * Throws ZkError KILN_ZK_NODE_EXISTS when it exists.
   */
  create(path: string, data?: Buffer | string, options?: ZkCreateOptions): Promise<string>;
  /** Throws ZkError KILN_ZK_NO_NODE / KILN_ZK_BAD_VERSION. */
  set(path: string, data: Buffer | string, version?: number): Promise<ZkStat>;
  /** Missing node is not an error (returns false). */
  delete(path: string, options?: ZkDeleteOptions): Promise<boolean>;
  /** Create the node and its parents if missing (kazoo ensure_path). */
  ensurePath(path: string): Promise<void>;
  /**
   * Optional: many reads in few requests (ZooKeeper >= 3.6 multiRead; a client
   * may fall back to single reads on older servers). Results in op order; a
   * missing node gives null, any other error rejects the whole call. Not a
   * snapshot: a big batch goes out as several requests, and writes may land
   * between them.
   */
  multiRead?(ops: ZkReadOp[]): Promise<ZkReadResult[]>;

  on<E extends keyof ZkEvents>(event: E, listener: (...args: ZkEvents[E]) => void): this;
  off<E extends keyof ZkEvents>(event: E, listener: (...args: ZkEvents[E]) => void): this;

  close(): Promise<void>;
}
