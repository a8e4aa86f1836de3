/**
 * Azure provider: nodepool/driver/azure/config.py getSchema. Required are the
 * keys upstream's loader cannot do without (location, resource-group,
 * resource-group-location); `pools` and `auth-path` are not (the builder needs
 * neither; auth-path falls back to AZURE_AUTH_LOCATION upstream).
 */
import type { SchemaObject } from 'ajv';
import { providerCommonProperties, stateMachineProviderProperties } from './provider-common.js';
import { bool, dict, int, nonEmptyStr, str, strictObject } from './schema-parts.js';

const providerDiskimage = strictObject(
  {
    name: str,
    username: str,
    password: str,
    'generate-password': bool,
    key: str,
    pause: bool,
    'connection-type': str,
    'connection-port': int,
    'python-path': str,
    'shell-type': str,
    tags: dict,
  },
  ['name'],
);

export const azureProviderSchema: SchemaObject = strictObject(
  {
    ...providerCommonProperties,
    ...stateMachineProviderProperties,
    location: nonEmptyStr,
    'resource-group': nonEmptyStr,
    'resource-group-location': nonEmptyStr,
    'subnet-id': str,
    network: {
      type: ['string', 'object'],
      properties: { 'resource-group': str, network: str, subnet: str },
      additionalProperties: false,
    },
    diskimages: { type: 'array', items: providerDiskimage },
    'auth-path': str,
    ipv4: bool,
    ipv6: bool,
    'public-ipv4': bool,
    'public-ipv6': bool,
    'max-servers': int,
    'max-cores': int,
    'max-ram': int,
    'max-resources': { type: 'object', additionalProperties: int },
    'zuul-public-key': str,
  },
  ['name', 'location', 'resource-group', 'resource-group-location'],
);
