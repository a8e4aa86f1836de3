/**
 * Drivers the builder never uploads to (kubernetes, static, gce, …). Their
 * grammar belongs to the launcher and is not reproduced here: the common keys
 * are typed, everything else is accepted and ignored, so a full nodepool.yaml
 * shared with the launcher always loads.
 */
import type { SchemaObject } from 'ajv';
import { providerCommonProperties } from './provider-common.js';
import { openList, str } from './schema-parts.js';

export const launcherOnlyProviderSchema: SchemaObject = {
  type: 'object',
  properties: { ...providerCommonProperties, pools: openList({ name: str }) },
  required: ['name'],
  additionalProperties: true,
};
