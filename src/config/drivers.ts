/**
 * The provider drivers nodepool.yaml may name, and which of them the builder
 * uploads to (upstream: `manage_images` of the driver's ProviderConfig, used by
 * ProviderManager.reconfigure(only_image_manager=True)).
 */
export const IMAGE_DRIVERS = ['openstack', 'fake', 'aws', 'azure', 'ibmvpc', 'local'] as const;

/** Launcher-only drivers: parsed and accepted, never uploaded to. */
export const LAUNCHER_DRIVERS = [
  'gce', // "no image management for google"
  'kubernetes',
  'openshift',
  'openshiftpods',
  'static',
  'metastatic',
  'test',
  'example',
] as const;

export const KNOWN_DRIVERS: readonly string[] = [...IMAGE_DRIVERS, ...LAUNCHER_DRIVERS];

export type ImageDriver = (typeof IMAGE_DRIVERS)[number];

export function managesImages(driver: string): driver is ImageDriver {
  return (IMAGE_DRIVERS as readonly string[]).includes(driver);
}

/**
 * `driver` defaults to openstack. Quirk (nodepool-compat.md 2.4, a test
 * artifact of upstream's get_provider_config): a provider whose name starts
 * with `fake` is forced to the fake driver whatever it says. Matched, so the
 * same config selects the same driver in Kiln and in Python peers.
 */
export function resolveDriver(provider: { name: string; driver?: unknown }): string {
  if (provider.name.startsWith('fake')) return 'fake';
  return typeof provider.driver === 'string' ? provider.driver : 'openstack';
}
