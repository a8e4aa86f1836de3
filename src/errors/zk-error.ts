import { KilnError } from './kiln-error.js';

/** Stable codes for ZooKeeper failures; the raw client code (e.g. -101) is kept in `zkCode`. */
export type ZkErrorCode =
  | 'KILN_ZK_CONNECT_TIMEOUT' // no server answered within the connect timeout
  | 'KILN_ZK_OPERATION_TIMEOUT' // a request got no reply in time
  | 'KILN_ZK_SESSION_EXPIRED' // the session the operation ran in is gone
  | 'KILN_ZK_CONNECTION_LOSS'
  | 'KILN_ZK_NO_NODE'
  | 'KILN_ZK_NODE_EXISTS'
  | 'KILN_ZK_NOT_EMPTY'
  | 'KILN_ZK_BAD_VERSION'
  | 'KILN_ZK_CLOSED' // the client was closed by us
  | 'KILN_ZK_TLS_INVALID' // zookeeper-tls incomplete or its files unreadable
  | 'KILN_ZK_ERROR';

export class ZkError extends KilnError {
  readonly path: string | undefined;
  readonly zkCode: number | undefined;

  constructor(code: ZkErrorCode, message: string, options?: { path?: string; zkCode?: number; cause?: unknown }) {
    super(code, message, { cause: options?.cause });
    this.path = options?.path;
    this.zkCode = options?.zkCode;
  }
}
