/**
 * The secure file (`-s`, upstream loadSecureConfig): ZooKeeper servers and TLS,
 * and extra `env-vars` per diskimage. Upstream ignores any other key; Kiln
 * rejects them, so a misspelt `zookeeper_tls` cannot silently drop TLS.
 */
import type { SchemaObject } from 'ajv';
import { nullable, str, strMap, strictObject } from './schema-parts.js';
import { zookeeperServersSchema, zookeeperTlsSchema } from './zookeeper.js';

export const secureSchema: SchemaObject = strictObject({
  'zookeeper-servers': zookeeperServersSchema,
  'zookeeper-tls': zookeeperTlsSchema,
  diskimages: nullable({ type: 'array', items: strictObject({ name: str, 'env-vars': strMap }, ['name', 'env-vars']) }),
});
