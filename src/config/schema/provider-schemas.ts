/** The schema applied to a provider, by (resolved) driver. */
import type { SchemaObject } from 'ajv';
import { awsProviderSchema } from './provider-aws.js';
import { azureProviderSchema } from './provider-azure.js';
import { ibmvpcProviderSchema } from './provider-ibmvpc.js';
import { launcherOnlyProviderSchema } from './provider-launcher-only.js';
import { localProviderSchema } from './provider-local.js';
import { openstackProviderSchema } from './provider-openstack.js';

const BY_DRIVER: Record<string, SchemaObject> = {
  openstack: openstackProviderSchema,
  // upstream's FakeProviderConfig is an OpenStackProviderConfig
  fake: openstackProviderSchema,
  aws: awsProviderSchema,
  azure: azureProviderSchema,
  ibmvpc: ibmvpcProviderSchema,
  local: localProviderSchema,
};

export function providerSchemaFor(driver: string): SchemaObject {
  return BY_DRIVER[driver] ?? launcherOnlyProviderSchema;
}
