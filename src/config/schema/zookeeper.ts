/** `zookeeper-servers`, `zookeeper-tls`, `zookeeper-timeout` (also used by the secure file). */
import type { SchemaObject } from 'ajv';
import { nonEmptyStr, nullable, num, str, strictObject } from './schema-parts.js';

export const zookeeperServersSchema: SchemaObject = nullable({
  type: 'array',
  items: strictObject(
    {
      host: nonEmptyStr,
      // upstream default 2281 (see defaults.ts)
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      chroot: str,
    },
    ['host'],
  ),
});

/** All three files are required: upstream's ZooKeeper client refuses a partial TLS config. */
export const zookeeperTlsSchema: SchemaObject = nullable(
  strictObject({ cert: nonEmptyStr, key: nonEmptyStr, ca: nonEmptyStr }, ['cert', 'key', 'ca']),
);

/** seconds, float; upstream's validator wants a float, Kiln also takes an integer */
export const zookeeperTimeoutSchema: SchemaObject = nullable({ ...num, exclusiveMinimum: 0 });

