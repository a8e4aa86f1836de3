/**
 * ImageUpload records to and from the JSON Nodepool stores at
 * …/builds/<build>/providers/<provider>/images/<upload> (ImageUpload.toDict /
 * updateFromDict). Every key is always written, nulls included, in this order:
 *
 *   {"state": "ready", "state_time": 1718000000.5, "external_id": "…",
 *    "external_name": "…", "format": "qcow2", "username": "zuul",
 *    "python_path": "auto", "shell_type": null}
 *
 * The image, build id, provider and upload id come from the path.
 */
import type { ImageUpload, UploadState } from './types.js';
import { PyFloat, pythonJsonDumps } from './python-json.js';
import { idOrNull, parseJsonObject, readNodeFields, readStateFields, stringOrNull } from './record-json.js';
import { nowSeconds } from './record-state.js';

/** What is stored in the znode: the record without its path-derived names. */
export type ImageUploadData = Omit<ImageUpload, 'image' | 'buildId' | 'provider' | 'id'>;

export interface ImageUploadLocation {
  image: string;
  buildId: string;
  provider: string;
  id: string;
}

export const UPLOAD_STATES: readonly UploadState[] = ['uploading', 'ready', 'deleting', 'failed'];


export function serializeImageUpload(upload: ImageUploadData): string {
  return pythonJsonDumps({
    state: upload.state,
    state_time: upload.stateTime === null ? null : new PyFloat(upload.stateTime),
    external_id: upload.externalId,
    external_name: upload.externalName,
    format: upload.format,
    username: upload.username,
    python_path: upload.pythonPath,
    shell_type: upload.shellType,
  });
}

/** The record in an upload znode, or null when its data is empty or not a JSON object. */
export function parseImageUpload(
  data: Buffer | string,
  location: ImageUploadLocation,
  now: () => number = nowSeconds,
): ImageUpload | null {
  const d = parseJsonObject(data);
  if (d === null) return null;
  return {
    image: location.image,
    buildId: location.buildId,
    provider: location.provider,
    id: location.id,
    ...readStateFields(d, UPLOAD_STATES, now),
    externalId: idOrNull(d['external_id']),
    externalName: idOrNull(d['external_name']),
    format: stringOrNull(d['format']),
    ...readNodeFields(d),
  };
}
