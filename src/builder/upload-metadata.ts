/**
 * What an upload is called and tagged with (upstream UploadWorker._uploadImage):
 * the name from `image-name-format` (Python str.format with `image_name`,
 * `timestamp`, plus `upload_id` and `build_id`), and the metadata: the
 * diskimage `metadata`, overlaid by the provider diskimage `meta`, plus
 * `nodepool_build_id`, `nodepool_upload_id` and `nodepool_provider_name`
 * (which launchers' leaked-image cleanup and `alien-image-list` rely on).
 */
export interface NameFields {
  imageName: string;
  /** int(time.time()) at upload start */
  timestamp: number;
  uploadId: string;
  buildId: string;
}

export function externalImageName(format: string, fields: NameFields): string {
  const values: Record<string, string> = {
    image_name: fields.imageName,
    timestamp: String(fields.timestamp),
    upload_id: fields.uploadId,
    build_id: fields.buildId,
  };
  // `{{` and `}}` are literal braces, as in str.format.
  return format.replace(/\{\{|\}\}|\{(\w+)\}/g, (match, key: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    return key !== undefined && key in values ? (values[key] as string) : match;
  });
}

export function uploadMetadata(input: {
  diskimageMetadata: Record<string, unknown>;
  providerMeta: Record<string, string>;
  buildId: string;
  uploadId: string;
  providerName: string;
}): Record<string, string> {
  const meta: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.diskimageMetadata)) meta[key] = asString(value);
  Object.assign(meta, input.providerMeta);
  meta['nodepool_build_id'] = input.buildId;
  meta['nodepool_upload_id'] = input.uploadId;
  meta['nodepool_provider_name'] = input.providerName;
  return meta;
}

function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
