/**
 * IBM VPC provider: nodepool/driver/ibmvpc/config.py getSchema. `image-format`
 * is read by upstream's loader (default qcow2) but missing from its schema;
 * Kiln accepts it, as it does `shell-type` on diskimages.
 */
import type { SchemaObject } from 'ajv';
import { providerCommonProperties, stateMachineProviderProperties } from './provider-common.js';
import { bool, int, nonEmptyStr, str, strictObject } from './schema-parts.js';

const providerDiskimage = strictObject(
  {
    name: str,
    'operating-system': nonEmptyStr,
    pause: bool,
    'connection-type': str,
    'connection-port': int,
    'python-path': str,
    'shell-type': str,
  },
  ['name', 'operating-system'],
);

export const ibmvpcProviderSchema: SchemaObject = strictObject(
  {
    ...providerCommonProperties,
    ...stateMachineProviderProperties,
    // upstream overrides the common `name` to forbid "_"
    name: { type: 'string', pattern: '^[^_]+$', errorHint: 'must not contain "_" (ibmvpc provider names)' },
    vpc: nonEmptyStr,
    region: nonEmptyStr,
    zone: str,
    subnet: str,
    diskimages: { type: 'array', items: providerDiskimage },
    quota: strictObject({ instances: int, cores: int, ram: int }),
    'public-ipv4': bool,
    'credentials-file': str,
    'object-storage': strictObject(
      { 'instance-name': nonEmptyStr, endpoint: nonEmptyStr, 'bucket-name': nonEmptyStr },
      ['instance-name', 'endpoint', 'bucket-name'],
    ),
    'image-format': nonEmptyStr,
  },
  ['name', 'vpc', 'region'],
);
