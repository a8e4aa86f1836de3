/**
 * The logging surface the OpenStack provider needs; a pino logger satisfies
 * it. Silent by default so library code never prints on its own. Log objects
 * carry ids, URLs and codes, never credentials (Secret prints as ***).
 */
export interface OpenStackLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

const noop = (): void => {};
export const silentOpenStackLogger: OpenStackLogger = { debug: noop, info: noop, warn: noop };
