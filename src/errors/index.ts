export { KilnError, isKilnError } from './kiln-error.js';
export { ConfigError } from './config-error.js';
export { ZkError, type ZkErrorCode } from './zk-error.js';
export { LockError, type LockErrorCode } from './lock-error.js';
