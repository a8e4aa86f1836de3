/**
 * The top level of nodepool.yaml (config_validator.py `top_level`). Unknown keys
 * are errors, as upstream. `labels`, `webapp`, `max-hold-age` and
 * `tenant-resource-limits` are launcher-only: typed as upstream, otherwise
 * ignored by Kiln. Providers get a first-pass schema here and their driver's
 * schema afterwards (validate-config-data.ts).
 */
import type { SchemaObject } from 'ajv';
import { diskimageSchema } from './diskimage.js';
import { providerBaseSchema } from './provider-common.js';
import { int, nullable, openList, str, strictObject } from './schema-parts.js';
import { zookeeperServersSchema, zookeeperTimeoutSchema, zookeeperTlsSchema } from './zookeeper.js';

export const topLevelSchema: SchemaObject = strictObject({
  'elements-dir': nullable(str),
  'images-dir': nullable(str),
  'build-log-dir': nullable(str),
  'build-log-retention': nullable(int),
  'zookeeper-servers': zookeeperServersSchema,
  'zookeeper-tls': zookeeperTlsSchema,
  'zookeeper-timeout': zookeeperTimeoutSchema,
  diskimages: nullable({ type: 'array', items: diskimageSchema }),
  providers: nullable({ type: 'array', items: providerBaseSchema }),
  labels: nullable(openList({ name: str, 'min-ready': int, 'max-ready-age': int }, ['name'])),
  webapp: nullable(strictObject({ port: int, listen_address: str })),
  'max-hold-age': nullable(int),
  'tenant-resource-limits': nullable(openList()),
});
