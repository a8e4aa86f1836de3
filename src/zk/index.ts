export type * from './zk-types.js';
export { ZkClient } from './zk-client.js';
export type { MultiReadSupport } from './multi-read.js';
export { buildConnectString, commonChroot, formatHostPort, normalizeChroot } from './connect-string.js';
export { parentPath, childPath, baseName } from './zk-paths.js';
export { silentZkLogger, type ZkLogger } from './zk-logger.js';
export { readTlsFiles, type TlsMaterial } from './tls-files.js';
export { startTlsTunnel, type TlsTunnel } from './tls-tunnel.js';
export { fourLetterWord, isServing } from './four-letter-word.js';
export {
  startZooKeeper,
  zooKeeperInstalled,
  type ZooKeeperServerOptions,
  type ZooKeeperServerTls,
  type RunningZooKeeper,
  type EnsembleMember,
} from './zookeeper-server.js';
export { ZkLock, type LockAcquireOptions, type LockLostListener } from './lock.js';
export { LOCK_NODE_NAME, contenderSequence, sortedContenders, predecessorOf } from './lock-names.js';
