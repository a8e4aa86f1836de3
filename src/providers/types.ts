/**
 * What the upload worker needs from a cloud. One implementation per driver
 * (`local` in local-provider.ts, `openstack` in src/providers/openstack/).
 * Secrets never appear in errors or logs produced through this interface.
 */

export interface UploadRequest {
  /** the external image name (from `image-name-format`) */
  imageName: string;
  /** local file to upload; streamed, never held in memory */
  filePath: string;
  /** the file's format (`qcow2`, `raw`, `vhd`, …) = its extension */
  format: string;
  /**
   * Properties/tags for the cloud image: the diskimage `metadata`, overlaid by
   * the provider diskimage `meta`, plus `nodepool_build_id`,
   * `nodepool_upload_id` and `nodepool_provider_name` — all as strings.
   */
  metadata: Record<string, string>;
  /** checksums from `<file>.md5` / `<file>.sha256` when present */
  md5?: string;
  sha256?: string;
  /** `image-upload-timeout` in seconds */
  timeoutSeconds: number;
  signal?: AbortSignal;
}

export interface UploadedImage {
  externalId: string;
  externalName: string;
}

export interface CloudImage {
  id: string;
  name: string;
  /** properties as strings; `nodepool_build_id` marks images Nodepool made */
  properties: Record<string, string>;
}

export interface ImageProvider {
  readonly name: string;
  /** Uploads and waits until the image is usable; on failure leaves nothing behind. */
  uploadImage(request: UploadRequest): Promise<UploadedImage>;
  /** Deletes by id (names can repeat). An image that is already gone is not an error. */
  deleteImage(externalId: string): Promise<void>;
  /** Every image of the account/project, for `alien-image-list`. */
  listImages(): Promise<CloudImage[]>;
  close(): Promise<void>;
}
