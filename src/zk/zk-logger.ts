/**
 * The logging surface the ZooKeeper layer needs. A pino logger satisfies it;
 * the default is silent so library code never prints on its own.
 */
export interface ZkLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};
export const silentZkLogger: ZkLogger = { debug: noop, info: noop, warn: noop, error: noop };
