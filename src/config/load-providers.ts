/**
 * `providers[]` → Provider objects, adding each image-managing provider's
 * image type to the formats of the diskimages it lists (nodepool-compat.md
 * 2.4, 2.5). Runs after the schema and checkProviders, so names resolve.
 */
import type { CloudsYaml } from './clouds-yaml.js';
import { DEFAULTS } from './defaults.js';
import { managesImages, resolveDriver } from './drivers.js';
import { providerImageType } from './provider-image-type.js';
import type { RawMap, RawProvider, RawProviderDiskImage } from './raw-types.js';
import type { DiskImage, Provider, ProviderDiskImage } from './types.js';

export async function loadProviders(
  providers: readonly RawProvider[],
  diskimages: Map<string, DiskImage>,
  clouds: CloudsYaml,
): Promise<Map<string, Provider>> {
  const result = new Map<string, Provider>();
  for (const raw of providers) {
    const driver = resolveDriver(raw);
    const imageType = await providerImageType(raw, driver, clouds);
    const provider = buildProvider(raw, driver, imageType);
    for (const entry of provider.diskimages) {
      const image = diskimages.get(entry.name);
      if (image && imageType !== null) image.formats = [...new Set([...image.formats, imageType])].sort();
    }
    result.set(provider.name, provider);
  }
  return result;
}

/** Per-driver defaults as upstream's driver configs set them. */
function buildProvider(raw: RawProvider, driver: string, imageType: string | null): Provider {
  const openstack = driver === 'openstack' || driver === 'fake';
  const text = (key: string): string | null => (typeof raw[key] === 'string' ? (raw[key] as string) : null);
  // numbers may be numeric strings (voluptuous Coerce(float) for `rate`)
  const number = (key: string): number | null =>
    raw[key] === undefined || raw[key] === null ? null : Number(raw[key]);
  return {
    name: raw.name,
    driver,
    managesImages: managesImages(driver),
    imageType,
    diskimages: managesImages(driver) ? (raw.diskimages ?? []).map((entry) => providerDiskImage(entry, driver)) : [],
    cloud: openstack ? text('cloud') : null,
    regionName: regionName(raw, driver),
    rate: number('rate') ?? DEFAULT_RATE[driver] ?? 1.0,
    imageNameFormat: imageNameFormat(raw, driver),
    postUploadHook: text('post-upload-hook'),
    // aws calls it image-import-timeout (upstream default: none; Kiln: the same 3600 s as OpenStack)
    imageUploadTimeout:
      number(driver === 'aws' ? 'image-import-timeout' : 'image-upload-timeout') ?? DEFAULTS.imageUploadTimeout,
    raw: structuredClone(raw),
  };
}

/** seconds between API calls (aws 2, others 1; the local driver has no API) */
const DEFAULT_RATE: Record<string, number> = { aws: 2, local: 0 };

const REGION_KEYS: Record<string, string> = {
  openstack: 'region-name',
  fake: 'region-name',
  aws: 'region-name',
  ibmvpc: 'region',
  azure: 'location',
};

function regionName(raw: RawProvider, driver: string): string | null {
  const key = REGION_KEYS[driver];
  const value = key ? raw[key] : undefined;
  return typeof value === 'string' ? value : null;
}

/** OpenStack and local honour `image-name-format`; aws and azure fix it; ibmvpc names by upload id. */
function imageNameFormat(raw: RawProvider, driver: string): string {
  if (driver === 'ibmvpc') return 'npimage{upload_id}';
  const configurable = ['openstack', 'fake', 'local'].includes(driver);
  const value = raw['image-name-format'];
  return configurable && typeof value === 'string' ? value : DEFAULTS.imageNameFormat;
}

function providerDiskImage(entry: RawProviderDiskImage, driver: string): ProviderDiskImage {
  // OpenStack (and local) call upload metadata `meta`, AWS and Azure `tags`; IBM VPC has none
  const metaKey = driver === 'aws' || driver === 'azure' ? 'tags' : driver === 'ibmvpc' ? undefined : 'meta';
  const { name, pause, ...rest } = entry;
  const extra: RawMap = { ...rest };
  let meta: Record<string, string> = {};
  if (metaKey !== undefined) {
    meta = stringValues(extra[metaKey]);
    delete extra[metaKey];
  }
  return { name, pause: Boolean(pause), meta, extra };
}

/** Upload metadata is a string map (Glance properties, tags); YAML numbers and booleans become text. */
function stringValues(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)]),
  );
}
