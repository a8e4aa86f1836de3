/**
 * The format a provider's uploads use (upstream: the driver config's
 * `image_type`). Each provider diskimage adds it to the diskimage's formats.
 */
import type { CloudsYaml } from './clouds-yaml.js';
import { managesImages } from './drivers.js';
import type { RawProvider } from './raw-types.js';

export async function providerImageType(
  provider: RawProvider,
  driver: string,
  clouds: CloudsYaml,
): Promise<string | null> {
  if (!managesImages(driver)) return null;
  const configured = typeof provider['image-format'] === 'string' ? provider['image-format'] : undefined;
  switch (driver) {
    case 'openstack':
    case 'fake':
      return clouds.imageFormat(String(provider['cloud']));
    case 'aws':
      return configured ?? 'raw';
    case 'ibmvpc':
    case 'local':
      return configured ?? 'qcow2';
    case 'azure':
      return 'vhd';
  }
}
