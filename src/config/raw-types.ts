/**
 * The YAML shapes of nodepool.yaml after schema validation: what the loader may
 * assume about the parsed document. Keys are the YAML keys.
 */
export type RawMap = Record<string, unknown>;

export interface RawZkServer {
  host: string;
  port?: number;
  chroot?: string;
}

export interface RawZkTls {
  cert: string;
  key: string;
  ca: string;
}

export interface RawBootTest {
  timeout?: number;
  expect?: string;
  firmware?: 'bios' | 'uefi';
  'block-size'?: 512 | 4096;
}

export interface RawDiskImage {
  name: string;
  abstract?: boolean;
  parent?: string;
  elements?: string[];
  'env-vars'?: Record<string, string>;
  release?: string | number;
  formats?: string[];
  'keep-formats'?: string[];
  'delete-after-upload'?: boolean | null;
  'rebuild-age'?: number;
  'build-timeout'?: number;
  pause?: boolean;
  username?: string;
  'python-path'?: string;
  'shell-type'?: string | null;
  'dib-cmd'?: string;
  metadata?: RawMap;
  'builder-labels'?: string[];
  'boot-test'?: boolean | RawBootTest;
}

export interface RawProviderDiskImage extends RawMap {
  name: string;
  pause?: boolean;
}

export interface RawPoolLabel extends RawMap {
  name: string;
  diskimage?: string;
  'cloud-image'?: string;
}

export interface RawPool extends RawMap {
  name?: string;
  labels?: RawPoolLabel[];
}

export interface RawProvider extends RawMap {
  name: string;
  driver?: string;
  diskimages?: RawProviderDiskImage[];
  pools?: RawPool[];
  'cloud-images'?: RawMap[];
}

export interface RawLabel extends RawMap {
  name: string;
}

export interface RawConfig {
  'elements-dir'?: string | null;
  'images-dir'?: string | null;
  'build-log-dir'?: string | null;
  'build-log-retention'?: number | null;
  'zookeeper-servers'?: RawZkServer[] | null;
  'zookeeper-tls'?: RawZkTls | null;
  'zookeeper-timeout'?: number | null;
  diskimages?: RawDiskImage[] | null;
  providers?: RawProvider[] | null;
  labels?: RawLabel[] | null;
}

export interface RawSecureConfig {
  'zookeeper-servers'?: RawZkServer[] | null;
  'zookeeper-tls'?: RawZkTls | null;
  diskimages?: Array<{ name: string; 'env-vars': Record<string, string> }> | null;
}
