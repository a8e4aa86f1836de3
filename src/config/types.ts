/**
 * The parsed, merged and defaulted view of nodepool.yaml that the builder and
 * the CLI use. Field names are camelCase; the YAML keys they come from are in
 * the comments. Produced by loadConfig() (load-config.ts).
 */
import type { ZkServer, ZkTlsFiles } from '../zk/zk-types.js';

export interface DiskImage {
  name: string;
  /** elements, ancestors first (`elements`, additive along `parent`) */
  elements: string[];
  /** `env-vars`, dict-updated along `parent`, then the secure file's */
  envVars: Record<string, string>;
  /** `release` as a string ('' when unset) */
  release: string;
  /**
   * Output formats: the diskimage's `formats` ∪ the image type of every
   * image-managing provider that lists this image. Sorted. Empty ⇒ never built.
   */
  formats: string[];
  /** `formats` exactly as configured (after inheritance) */
  configuredFormats: string[];
  keepFormats: string[];
  deleteAfterUpload: boolean;
  /** seconds */
  rebuildAge: number;
  /** seconds */
  buildTimeout: number;
  pause: boolean;
  username: string;
  pythonPath: string;
  shellType: string | null;
  dibCmd: string;
  metadata: Record<string, unknown>;
  /** Kiln extension `builder-labels`: only builders with one of these labels build it (empty = any). */
  builderLabels: string[];
  /** Kiln extension `boot-test`: boot the image in QEMU before it becomes ready. */
  bootTest: BootTestOptions | null;
}

export interface BootTestOptions {
  timeoutSeconds: number;
  expect: string;
  firmware: 'bios' | 'uefi';
  blockSize: 512 | 4096;
}

export interface ProviderDiskImage {
  name: string;
  pause: boolean;
  /** OpenStack `meta` / AWS, Azure `tags` */
  meta: Record<string, string>;
  /** every other key of the entry, untouched (connection-type, config-drive, …) */
  extra: Record<string, unknown>;
}

export interface Provider {
  name: string;
  /** `driver`, default `openstack` (names starting with `fake` are forced to `fake`, as upstream) */
  driver: string;
  /** Whether this driver manages images (openstack, fake, aws, azure, ibmvpc, local). */
  managesImages: boolean;
  /** The format uploads to this provider use (openstack: clouds.yaml `image_format`, default qcow2). */
  imageType: string | null;
  diskimages: ProviderDiskImage[];
  /** openstack `cloud` */
  cloud: string | null;
  regionName: string | null;
  /** seconds between API calls */
  rate: number;
  imageNameFormat: string;
  postUploadHook: string | null;
  /** seconds */
  imageUploadTimeout: number;
  /** every key of the provider, untouched, for driver-specific settings */
  raw: Record<string, unknown>;
}

export interface NodepoolConfig {
  /** absolute path of the main config file */
  configPath: string;
  securePath: string | null;
  elementsDir: string | null;
  imagesDir: string | null;
  buildLogDir: string;
  buildLogRetention: number;
  /** empty when the config names none: Kiln then uses its embedded ZooKeeper */
  zookeeperServers: ZkServer[];
  zookeeperTls: ZkTlsFiles | null;
  /** seconds */
  zookeeperTimeout: number;
  /** non-abstract diskimages, in config order */
  diskimages: Map<string, DiskImage>;
  providers: Map<string, Provider>;
  labels: string[];
}
