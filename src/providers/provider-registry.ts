/**
 * Driver name → ImageProvider factory. The builder makes one provider per
 * image-managing `providers[]` entry whose driver is registered here; entries
 * of other drivers are skipped (logged once), so a Kiln builder can share a
 * config with Python builders that serve other clouds.
 *
 * `local` is built in; the OpenStack engineer adds `openstack` (and `fake`)
 * with registerProviderDriver() from src/providers/openstack/.
 */
import type { Provider } from '../config/types.js';
import type { ImageProvider } from './types.js';
import { createLocalProvider } from './local-provider.js';

export interface ProviderFactoryContext {
  /** for `%(…)`-free secrets lookups (clouds.yaml) and tests */
  env: NodeJS.ProcessEnv;
}

export type ProviderFactory = (provider: Provider, context: ProviderFactoryContext) => ImageProvider | Promise<ImageProvider>;

const drivers = new Map<string, ProviderFactory>([['local', (provider) => createLocalProvider(provider)]]);

/** Adds or replaces a driver. */
export function registerProviderDriver(name: string, factory: ProviderFactory): void {
  drivers.set(name, factory);
}

export function hasProviderDriver(name: string): boolean {
  return drivers.has(name);
}

export function registeredProviderDrivers(): string[] {
  return [...drivers.keys()].sort();
}

/** null when no driver is registered for `provider.driver`. */
export async function createProvider(provider: Provider, context: ProviderFactoryContext = { env: process.env }): Promise<ImageProvider | null> {
  const factory = drivers.get(provider.driver);
  return factory ? factory(provider, context) : null;
}
