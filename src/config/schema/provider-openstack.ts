/**
 * OpenStack (and the test `fake`) provider: nodepool/driver/openstack/config.py
 * getSchema. Pools and cloud-images are launcher grammar: accepted openly, typed
 * only where the loader cross-checks them (pool label names, diskimage,
 * cloud-image).
 */
import type { SchemaObject } from 'ajv';
import { providerCommonProperties } from './provider-common.js';
import { bool, dict, int, nonEmptyStr, numberLike, openList, str, strictObject } from './schema-parts.js';

const providerDiskimage = strictObject(
  {
    name: str,
    pause: bool,
    meta: dict,
    'config-drive': bool,
    'connection-type': str,
    'connection-port': int,
  },
  ['name'],
);

const pool: SchemaObject = {
  type: 'object',
  properties: {
    name: str,
    labels: openList({ name: str, diskimage: str, 'cloud-image': str }, ['name']),
  },
  required: ['name'],
  additionalProperties: true,
};

export const openstackProviderSchema: SchemaObject = strictObject(
  {
    ...providerCommonProperties,
    cloud: nonEmptyStr,
    'region-name': str,
    'boot-timeout': int,
    'image-upload-timeout': int,
    'launch-timeout': int,
    'launch-retries': int,
    'nodepool-id': str,
    rate: numberLike,
    'image-name-format': str,
    'clean-floating-ips': bool,
    'port-cleanup-interval': int,
    pools: { type: 'array', items: pool },
    diskimages: { type: 'array', items: providerDiskimage },
    'cloud-images': openList({ name: str }, ['name']),
    'post-upload-hook': str,
    // Kiln extension: `put` (default: create + PUT /file) or Glance's
    // interoperable import `glance-direct` (stage + import).
    'upload-method': { enum: ['put', 'glance-direct'], description: 'Kiln: how images are sent to Glance' },
  },
  ['name', 'cloud'],
);
