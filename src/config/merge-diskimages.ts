/**
 * Diskimage inheritance, exactly as upstream's Config.setDiskImages and
 * DiskImage.setFromConfig: start from the defaults, apply each ancestor from
 * the root down, then the image itself. Abstract images are never built and do
 * not appear in the result, but serve as parents.
 *
 * Per key (nodepool-compat.md 2.3; quirks matched, the team default):
 * - `elements` are appended, `env-vars` dict-updated (child wins);
 * - `build-timeout`, `dib-cmd`, `formats`, `keep-formats`, `pause`,
 *   `python-path`, `shell-type`, `rebuild-age`, `release`, `username` apply only
 *   when truthy (Python truthiness). Quirk matched: a child cannot undo a
 *   parent's `pause: true`, nor set `rebuild-age: 0` or clear `formats`. Python
 *   builders sharing the ZooKeeper tree decide the same way, so Kiln must too.
 *   `formats`/`keep-formats`, when applied, replace (no union along the chain);
 * - `delete-after-upload` applies when present, so false overrides true;
 * - `metadata` is assigned at every step (missing = {}). Quirk matched: a child
 *   without `metadata` wipes its parent's. Upload metadata must not depend on
 *   which builder (Python or Kiln) did the upload.
 * - Kiln extensions `builder-labels` and `boot-test` apply when present
 *   (including `[]` and `false`), so a child can turn them off.
 */
import type { BootTestOptions, DiskImage } from './types.js';
import { DEFAULTS } from './defaults.js';
import type { RawBootTest, RawDiskImage } from './raw-types.js';

/** `diskimages` must have passed checkDiskimages (parents exist, no cycles). */
export function mergeDiskimages(diskimages: readonly RawDiskImage[]): Map<string, DiskImage> {
  const byName = new Map(diskimages.map((image) => [image.name, image]));
  const result = new Map<string, DiskImage>();
  for (const cfg of diskimages) {
    if (cfg.abstract) continue;
    const image = defaultDiskImage(cfg.name);
    for (const step of [...ancestorsRootFirst(cfg, byName), cfg]) applyConfig(image, step);
    image.configuredFormats = unique(image.configuredFormats);
    image.keepFormats = unique(image.keepFormats);
    image.formats = [...image.configuredFormats].sort();
    result.set(image.name, image);
  }
  return result;
}

function defaultDiskImage(name: string): DiskImage {
  return {
    name,
    elements: [],
    envVars: {},
    release: '',
    formats: [],
    configuredFormats: [],
    keepFormats: [],
    deleteAfterUpload: false,
    rebuildAge: DEFAULTS.rebuildAge,
    buildTimeout: DEFAULTS.buildTimeout,
    pause: false,
    username: DEFAULTS.username,
    pythonPath: DEFAULTS.pythonPath,
    shellType: null,
    dibCmd: DEFAULTS.dibCmd,
    metadata: {},
    builderLabels: [],
    bootTest: null,
  };
}

function ancestorsRootFirst(cfg: RawDiskImage, byName: Map<string, RawDiskImage>): RawDiskImage[] {
  const chain: RawDiskImage[] = [];
  let parent = cfg.parent ? byName.get(cfg.parent) : undefined;
  while (parent) {
    chain.unshift(parent);
    parent = parent.parent ? byName.get(parent.parent) : undefined;
  }
  return chain;
}

/** DiskImage.setFromConfig */
function applyConfig(image: DiskImage, cfg: RawDiskImage): void {
  if (truthy(cfg['build-timeout'])) image.buildTimeout = cfg['build-timeout'] as number;
  if (truthy(cfg['dib-cmd'])) image.dibCmd = cfg['dib-cmd'] as string;
  image.elements.push(...(cfg.elements ?? []));
  Object.assign(image.envVars, cfg['env-vars'] ?? {});
  if (truthy(cfg.formats)) image.configuredFormats = [...(cfg.formats as string[])];
  if (truthy(cfg['keep-formats'])) image.keepFormats = [...(cfg['keep-formats'] as string[])];
  if (cfg['delete-after-upload'] !== undefined && cfg['delete-after-upload'] !== null) {
    image.deleteAfterUpload = cfg['delete-after-upload'];
  }
  if (truthy(cfg.pause)) image.pause = true;
  if (truthy(cfg['python-path'])) image.pythonPath = cfg['python-path'] as string;
  if (truthy(cfg['shell-type'])) image.shellType = cfg['shell-type'] as string;
  if (truthy(cfg['rebuild-age'])) image.rebuildAge = cfg['rebuild-age'] as number;
  // numbers were turned into strings by normalizeReleases
  if (truthy(cfg.release)) image.release = String(cfg.release);
  if (truthy(cfg.username)) image.username = cfg.username as string;
  image.metadata = { ...(cfg.metadata ?? {}) };
  if (cfg['builder-labels'] !== undefined) image.builderLabels = [...cfg['builder-labels']];
  if (cfg['boot-test'] !== undefined) image.bootTest = bootTestOptions(cfg['boot-test']);
}

function bootTestOptions(value: boolean | RawBootTest): BootTestOptions | null {
  if (value === false) return null;
  const given = value === true ? {} : value;
  return {
    timeoutSeconds: given.timeout ?? DEFAULTS.bootTestTimeoutSeconds,
    expect: given.expect ?? DEFAULTS.bootTestExpect,
    firmware: given.firmware ?? DEFAULTS.bootTestFirmware,
    blockSize: given['block-size'] ?? DEFAULTS.bootTestBlockSize,
  };
}

/** Python truthiness of a YAML value */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
