/**
 * Kiln's `local` driver: a directory that stands in for a cloud. An "upload"
 * copies the image file into `path` (named by `image-name-format`) and runs the
 * optional post-upload hook; the Quick start and tests use it. Python builders
 * do not know this driver: give Kiln-only providers to Kiln builders only.
 */
import type { SchemaObject } from 'ajv';
import { providerCommonProperties } from './provider-common.js';
import { bool, dict, nonEmptyStr, str, strictObject } from './schema-parts.js';

const providerDiskimage = strictObject(
  {
    name: str,
    pause: { ...bool, description: 'no uploads of this image to this provider' },
    meta: { ...dict, description: 'metadata written beside the uploaded image' },
  },
  ['name'],
);

export const localProviderSchema: SchemaObject = strictObject(
  {
    ...providerCommonProperties,
    path: { ...nonEmptyStr, description: 'directory that receives the uploaded images' },
    'image-format': { ...nonEmptyStr, description: 'format uploaded to this provider (default qcow2)' },
    'image-name-format': {
      ...str,
      description: 'name of the uploaded image; placeholders image_name, upload_id, timestamp',
    },
    'post-upload-hook': { ...str, description: 'program run after each upload (as upstream)' },
    diskimages: { type: 'array', items: providerDiskimage },
  },
  ['name', 'path'],
);
