/** In-code fixtures for planCleanup: snapshots, config and local builds, without ZooKeeper. */
import type { BuildSnapshot, BuildState, ImageBuild, ImageSnapshot, ImageTreeSnapshot, ImageUpload, UploadState } from '../../../src/model/types.js';
import type { LocalBuild } from '../../../src/builder/local-images.js';
import { noLockFacts, type CleanupConfig, type CleanupInput, type CleanupProvider, type LockFacts } from '../../../src/builder/cleanup/cleanup-input.js';

export const ME = '11111111-1111-4111-8111-111111111111';
export const OTHER = '22222222-2222-4222-8222-222222222222';
export const IMAGES_DIR = '/var/lib/kiln/images';

export function build(image: string, id: string, state: BuildState | null, stateTime: number, more: Partial<ImageBuild> = {}): ImageBuild {
  return {
    image,
    id,
    state,
    stateTime,
    builder: 'nb01',
    builderId: ME,
    formats: state === 'ready' ? ['qcow2'] : [],
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
    ...more,
  };
}

export function upload(
  b: ImageBuild,
  provider: string,
  id: string,
  state: UploadState | null,
  stateTime: number,
  more: Partial<ImageUpload> = {},
): ImageUpload {
  return {
    image: b.image,
    buildId: b.id,
    provider,
    id,
    state,
    stateTime,
    externalId: state === 'ready' || state === 'deleting' ? `ext-${b.id}-${provider}-${id}` : null,
    externalName: state === 'ready' || state === 'deleting' ? `${b.image}-${stateTime}` : null,
    format: 'qcow2',
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
    ...more,
  };
}

export function snap(b: ImageBuild, ...uploads: ImageUpload[]): BuildSnapshot {
  const byProvider = new Map<string, ImageUpload[]>();
  for (const u of uploads) byProvider.set(u.provider, [...(byProvider.get(u.provider) ?? []), u]);
  return { build: b, uploads: byProvider };
}

export function image(name: string, builds: BuildSnapshot[], buildLockHolders: string[] = []): ImageSnapshot {
  return { name, paused: false, buildRequest: null, buildLockHolders, builds };
}

export function tree(...images: ImageSnapshot[]): ImageTreeSnapshot {
  return { images };
}

export interface ProviderSpec {
  name: string;
  imageType?: string | null;
  images: string[];
  managesImages?: boolean;
}

export function config(
  diskimages: Record<string, { deleteAfterUpload?: boolean; keepFormats?: string[] }>,
  providers: ProviderSpec[],
): CleanupConfig {
  return {
    diskimages: new Map(
      Object.entries(diskimages).map(([name, d]) => [name, { deleteAfterUpload: d.deleteAfterUpload ?? false, keepFormats: d.keepFormats ?? [] }]),
    ),
    providers: new Map(
      providers.map((p): [string, CleanupProvider] => [
        p.name,
        { name: p.name, managesImages: p.managesImages ?? true, imageType: p.imageType === undefined ? 'qcow2' : p.imageType, diskimages: p.images.map((n) => ({ name: n })) },
      ]),
    ),
  };
}

export function local(imageName: string, buildId: string, formats: string[] = ['qcow2']): LocalBuild {
  const base = `${IMAGES_DIR}/${imageName}-${buildId}`;
  return { image: imageName, buildId, base, files: formats.map((format) => ({ format, path: `${base}.${format}` })) };
}

export function input(parts: {
  tree: ImageTreeSnapshot;
  config: CleanupConfig;
  localBuilds?: LocalBuild[];
  locks?: Partial<LockFacts>;
  runningLocally?: string[];
}): CleanupInput {
  return {
    tree: parts.tree,
    config: parts.config,
    localBuilds: parts.localBuilds ?? [],
    locks: { ...noLockFacts(), ...parts.locks },
    runningLocally: new Set(parts.runningLocally ?? []),
    builderId: ME,
  };
}

/** A contender node name as kazoo's Lock creates it. */
export const LOCK_HOLDER = '0123456789abcdef0123456789abcdef__lock__0000000000';
