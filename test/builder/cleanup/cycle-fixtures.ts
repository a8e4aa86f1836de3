/** Setup for the runCleanupCycle integration tests: config, a recording ImageProvider, local files, seeded records. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiskImage, NodepoolConfig, Provider } from '../../../src/config/types.js';
import { diskImageFixture } from '../../support/diskimage-fixture.js';
import type { CloudImage, ImageProvider, UploadedImage } from '../../../src/providers/types.js';
import type { ImageStore } from '../../../src/model/image-store.js';
import type { BuildState, UploadState } from '../../../src/model/types.js';

export function diskImage(name: string): DiskImage {
  return diskImageFixture({ name, configuredFormats: [] });
}

export function provider(name: string, images: string[]): Provider {
  return {
    name,
    driver: 'local',
    managesImages: true,
    imageType: 'qcow2',
    diskimages: images.map((image) => ({ name: image, pause: false, meta: {}, extra: {} })),
    cloud: null,
    regionName: null,
    rate: 1,
    imageNameFormat: '{image_name}-{timestamp}',
    postUploadHook: null,
    imageUploadTimeout: 3600,
    raw: { name, driver: 'local' },
  };
}

export function nodepoolConfig(imagesDir: string, diskimages: string[], providers: Provider[]): NodepoolConfig {
  return {
    configPath: '/etc/nodepool/nodepool.yaml',
    securePath: null,
    elementsDir: null,
    imagesDir,
    buildLogDir: '/var/log/nodepool/builds',
    buildLogRetention: 7,
    zookeeperServers: [],
    zookeeperTls: null,
    zookeeperTimeout: 10,
    diskimages: new Map(diskimages.map((name) => [name, diskImage(name)])),
    providers: new Map(providers.map((p) => [p.name, p])),
    labels: [],
  };
}

/** Records deletes; `failNextDeletes(n)` makes the next n deletes throw, as FakeDeleteImageFailCloud does. */
export class RecordingProvider implements ImageProvider {
  readonly deleted: string[] = [];
  readonly attempts: string[] = [];
  private failures = 0;

  constructor(readonly name: string) {}

  failNextDeletes(count: number): void {
    this.failures = count;
  }

  async uploadImage(): Promise<UploadedImage> {
    throw new Error('not used by cleanup');
  }

  async deleteImage(externalId: string): Promise<void> {
    this.attempts.push(externalId);
    if (this.failures > 0) {
      this.failures--;
      throw new Error(`cloud refused to delete ${externalId}`);
    }
    this.deleted.push(externalId);
  }

  async listImages(): Promise<CloudImage[]> {
    return [];
  }

  async close(): Promise<void> {}
}

/** DIB's output for one build: `<base>.<fmt>` with checksums, and `<base>.d/`. */
export async function writeLocalBuild(imagesDir: string, image: string, buildId: string, formats: string[] = ['qcow2']): Promise<string[]> {
  const base = join(imagesDir, `${image}-${buildId}`);
  const files: string[] = [];
  for (const format of formats) {
    await writeFile(`${base}.${format}`, 'fake-data');
    await writeFile(`${base}.${format}.md5`, '10da41d43d4bd6d67db763616c18b72f');
    files.push(`${base}.${format}`, `${base}.${format}.md5`);
  }
  await mkdir(`${base}.d`);
  await writeFile(join(`${base}.d`, 'manifest'), 'x');
  return files;
}

export async function seedBuild(store: ImageStore, image: string, state: BuildState, stateTime: number, builderId: string): Promise<string> {
  return store.storeBuild(image, {
    state,
    stateTime,
    builder: 'nb01',
    builderId,
    formats: state === 'ready' ? ['qcow2'] : [],
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
  });
}

export async function seedUpload(
  store: ImageStore,
  image: string,
  buildId: string,
  providerName: string,
  state: UploadState,
  stateTime: number,
  externalId: string | null,
): Promise<string> {
  return store.storeImageUpload(image, buildId, providerName, {
    state,
    stateTime,
    externalId,
    externalName: externalId === null ? null : `${image}-${Math.floor(stateTime)}`,
    format: 'qcow2',
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
  });
}
