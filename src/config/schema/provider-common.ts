/**
 * Keys every provider accepts (nodepool/driver/__init__.py
 * ProviderConfig.getCommonSchemaDict), and the first-pass schema the top level
 * uses before the driver's own schema is applied (validate-providers.ts).
 */
import type { SchemaObject } from 'ajv';
import { KNOWN_DRIVERS } from '../drivers.js';
import { bool, int, numberLike, openList, str } from './schema-parts.js';

export const providerCommonProperties: Record<string, SchemaObject> = {
  name: str,
  driver: str,
  'max-concurrency': int,
  priority: int,
};

/**
 * Keys the state-machine drivers (aws, azure, ibmvpc) share: the launcher's
 * pools, cloud images, timing and addressing, and the upload hook.
 */
export const stateMachineProviderProperties: Record<string, SchemaObject> = {
  pools: openList({ name: str }, ['name']),
  'cloud-images': openList({ name: str }, ['name']),
  rate: numberLike,
  'boot-timeout': int,
  'launch-timeout': int,
  'launch-retries': int,
  'use-internal-ip': bool,
  'host-key-checking': bool,
  'post-upload-hook': str,
};

/** Enough to pick the driver; the driver schema checks the rest. */
export const providerBaseSchema: SchemaObject = {
  type: 'object',
  properties: {
    name: str,
    driver: { type: 'string', enum: [...KNOWN_DRIVERS] },
  },
  required: ['name'],
  additionalProperties: true,
};
