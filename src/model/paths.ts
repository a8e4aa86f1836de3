/**
 * Every znode path of Nodepool's image tree (nodepool/zk/zookeeper.py, the
 * `_image*Path` helpers), built only from validated names so that a bad image
 * or provider name can never address a different part of the tree.
 *
 *   /nodepool/images/<image>[/pause|/request-build]
 *   /nodepool/images/<image>/builds[/lock]
 *   /nodepool/images/<image>/builds/<build>[/lock]
 *   /nodepool/images/<image>/builds/<build>/providers/<provider>/images[/lock]
 *   /nodepool/images/<image>/builds/<build>/providers/<provider>/images/<upload>[/lock]
 */
import { ModelError } from './model-error.js';

export const IMAGE_ROOT = '/nodepool/images';
export const COMPONENTS_ROOT = '/nodepool/components';
/** The child name every lock directory uses; listings skip it. */
export const LOCK_NODE = 'lock';

export function imagePath(image: string): string {
  return `${IMAGE_ROOT}/${checkName('image', image)}`;
}

export function imagePausePath(image: string): string {
  return `${imagePath(image)}/pause`;
}

export function imageBuildRequestPath(image: string): string {
  return `${imagePath(image)}/request-build`;
}

export function imageBuildsPath(image: string): string {
  return `${imagePath(image)}/builds`;
}

export function imageBuildLockPath(image: string): string {
  return `${imageBuildsPath(image)}/${LOCK_NODE}`;
}

export function imageBuildPath(image: string, buildId: string): string {
  return `${imageBuildsPath(image)}/${checkBuildId(buildId)}`;
}

export function imageBuildNumberLockPath(image: string, buildId: string): string {
  return `${imageBuildPath(image, buildId)}/${LOCK_NODE}`;
}

export function imageProvidersPath(image: string, buildId: string): string {
  return `${imageBuildPath(image, buildId)}/providers`;
}

export function imageProviderPath(image: string, buildId: string, provider: string): string {
  return `${imageProvidersPath(image, buildId)}/${checkName('provider', provider)}`;
}

/** The parent of the upload sequence nodes (`…/providers/<p>/images`). */
export function imageUploadsPath(image: string, buildId: string, provider: string): string {
  return `${imageProviderPath(image, buildId, provider)}/images`;
}

export function imageUploadLockPath(image: string, buildId: string, provider: string): string {
  return `${imageUploadsPath(image, buildId, provider)}/${LOCK_NODE}`;
}

export function imageUploadPath(image: string, buildId: string, provider: string, uploadId: string): string {
  return `${imageUploadsPath(image, buildId, provider)}/${checkUploadId(uploadId)}`;
}

export function imageUploadNumberLockPath(image: string, buildId: string, provider: string, uploadId: string): string {
  return `${imageUploadPath(image, buildId, provider, uploadId)}/${LOCK_NODE}`;
}

/** `/nodepool/components/builder/<hostname>`: ZK appends the sequence with no separator. */
export function builderComponentPrefix(hostname: string): string {
  return `${COMPONENTS_ROOT}/builder/${checkName('hostname', hostname)}`;
}

// ---------------------------------------------------------------------------
// Validation. Names come from nodepool.yaml and the CLI; ids from ZK listings
// or from the user (`dib-image-delete <image>-<build>`).

export type NameKind = 'image' | 'provider' | 'hostname';

// Control characters (C0, DEL, C1) make unreadable znodes and break listings.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
const BUILD_ID = /^[0-9a-f]+$/;
const UPLOAD_ID = /^\d{10}$/;

export function isValidName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !CONTROL_CHARS.test(name);
}

/** 32-hex uuid4 (current) or a legacy 10-digit sequence id: both are `[0-9a-f]+`. */
export function isValidBuildId(id: string): boolean {
  return BUILD_ID.test(id);
}

export function isValidUploadId(id: string): boolean {
  return UPLOAD_ID.test(id);
}

export function checkName(kind: NameKind, name: string): string {
  if (typeof name !== 'string' || !isValidName(name)) {
    throw new ModelError(
      'KILN_INVALID_NAME',
      `invalid ${kind} name ${JSON.stringify(name)}: must be non-empty, not "." or "..", without "/" or control characters`,
    );
  }
  return name;
}

export function checkBuildId(id: string): string {
  if (typeof id !== 'string' || !isValidBuildId(id)) {
    throw new ModelError('KILN_INVALID_NAME', `invalid build id ${JSON.stringify(id)}: must match [0-9a-f]+`);
  }
  return id;
}

export function checkUploadId(id: string): string {
  if (typeof id !== 'string' || !isValidUploadId(id)) {
    throw new ModelError('KILN_INVALID_NAME', `invalid upload id ${JSON.stringify(id)}: must be 10 digits`);
  }
  return id;
}

/** Children of a builds/ or images/ node minus `lock` and anything that is not an id; null (no parent) → []. */
export function listIds(children: string[] | null, isValid: (id: string) => boolean): string[] {
  return (children ?? []).filter((c) => c !== LOCK_NODE && isValid(c));
}

// ---------------------------------------------------------------------------
// Parsing, for export/import files whose keys are full paths.

export type ImageTreePath =
  | { kind: 'pause'; image: string }
  | { kind: 'build'; image: string; buildId: string }
  | { kind: 'upload'; image: string; buildId: string; provider: string; uploadId: string };

/** Recognizes the data paths an export file may hold; null for anything else. */
export function parseImageTreePath(path: string): ImageTreePath | null {
  if (!path.startsWith(`${IMAGE_ROOT}/`)) return null;
  const parts = path.slice(IMAGE_ROOT.length + 1).split('/');
  const [image, a, buildId, c, provider, e, uploadId] = parts;
  if (image === undefined || !isValidName(image)) return null;
  if (parts.length === 2 && a === 'pause') return { kind: 'pause', image };
  if (a !== 'builds' || buildId === undefined || !isValidBuildId(buildId)) return null;
  if (parts.length === 3) return { kind: 'build', image, buildId };
  if (parts.length !== 7 || c !== 'providers' || e !== 'images') return null;
  if (provider === undefined || !isValidName(provider) || uploadId === undefined || !isValidUploadId(uploadId)) return null;
  return { kind: 'upload', image, buildId, provider, uploadId };
}
