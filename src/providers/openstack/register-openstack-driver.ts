/**
 * Makes `driver: openstack` known to the provider registry. The daemon's
 * wiring calls this once at start (not done on import: importing a module
 * should not change global state).
 */
import { registerProviderDriver } from '../provider-registry.js';
import type { OpenStackLogger } from './openstack-logger.js';
import { createOpenStackProvider } from './openstack-provider.js';

export function registerOpenStackDriver(options: { logger?: OpenStackLogger } = {}): void {
  registerProviderDriver('openstack', (provider, context) =>
    createOpenStackProvider(provider, { env: context.env, ...(options.logger ? { logger: options.logger } : {}) }),
  );
}
