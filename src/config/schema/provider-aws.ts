/**
 * AWS provider: nodepool/driver/aws/config.py getSchema, plus the provider-level
 * keys its loader reads (public-ipv4/6, use-internal-ip, host-key-checking).
 * `pools` is not required here although upstream's validator requires it: a
 * builder-only config needs no pools, and upstream's loader does not either.
 */
import type { SchemaObject } from 'ajv';
import { providerCommonProperties, stateMachineProviderProperties } from './provider-common.js';
import { bool, dict, int, nonEmptyStr, str, strictObject } from './schema-parts.js';

const providerDiskimage = strictObject(
  {
    name: str,
    username: str,
    pause: bool,
    'connection-type': str,
    'connection-port': int,
    'python-path': str,
    'shell-type': str,
    architecture: str,
    'ena-support': bool,
    'volume-size': int,
    'volume-type': str,
    'import-method': { type: 'string', enum: ['snapshot', 'ebs-direct', 'image'] },
    'imds-support': { type: ['string', 'null'], enum: ['v2.0', null] },
    iops: int,
    throughput: int,
    tags: dict,
  },
  ['name'],
);

export const awsProviderSchema: SchemaObject = strictObject(
  {
    ...providerCommonProperties,
    ...stateMachineProviderProperties,
    'region-name': nonEmptyStr,
    'profile-name': str,
    diskimages: { type: 'array', items: providerDiskimage },
    'object-storage': strictObject({ 'bucket-name': nonEmptyStr }, ['bucket-name']),
    'image-format': { type: 'string', enum: ['ova', 'vhd', 'vhdx', 'vmdk', 'raw'] },
    'image-import-timeout': int,
    'max-servers': int,
    'max-cores': int,
    'max-ram': int,
    'max-resources': { type: 'object', additionalProperties: int },
    'public-ipv4': bool,
    'public-ipv6': bool,
  },
  ['name', 'region-name'],
);
