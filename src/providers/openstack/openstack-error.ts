import { KilnError } from '../../errors/kiln-error.js';

/**
 * Stable codes for everything the OpenStack provider reports. Messages never
 * carry a password, application-credential secret or token (see redact.ts).
 */
export type OpenStackErrorCode =
  | 'KILN_OPENSTACK_CLOUD_NOT_FOUND' // no clouds.yaml, or no such cloud in it
  | 'KILN_OPENSTACK_CLOUD_INVALID' // the cloud entry lacks auth_url, a user, a secret, …
  | 'KILN_OPENSTACK_PROVIDER_INVALID' // the nodepool.yaml provider entry is unusable (no cloud, bad upload-method)
  | 'KILN_OPENSTACK_AUTH_FAILED' // Keystone rejected the credentials (401/403)
  | 'KILN_OPENSTACK_REGION_NOT_FOUND' // the region is not among the cloud's regions / the catalog's
  | 'KILN_OPENSTACK_SERVICE_NOT_FOUND' // no `image` service (or no endpoint for the interface)
  | 'KILN_OPENSTACK_FORMAT_REJECTED' // unknown disk format, file content does not match, or Glance said 400
  | 'KILN_OPENSTACK_PROPERTY_REJECTED' // Glance refused a property (reserved name, wrong type)
  | 'KILN_OPENSTACK_IMPORT_UNSUPPORTED' // glance-direct requested but not offered by the cloud
  | 'KILN_OPENSTACK_UPLOAD_TIMEOUT' // not active within image-upload-timeout
  | 'KILN_OPENSTACK_CHECKSUM_MISMATCH' // Glance's checksum differs from the bytes we sent
  | 'KILN_OPENSTACK_IMAGE_FAILED' // the image went to killed/deleted, or the import task failed
  | 'KILN_OPENSTACK_HTTP' // any other unexpected HTTP status (`status` holds it)
  | 'KILN_OPENSTACK_CONNECTION' // connection refused/reset/dropped, request timeout
  | 'KILN_OPENSTACK_FILE' // the local image file cannot be read
  | 'KILN_OPENSTACK_ABORTED'; // the caller's AbortSignal fired

/** Codes that no retry can fix. */
const PERMANENT = new Set<OpenStackErrorCode>([
  'KILN_OPENSTACK_CLOUD_NOT_FOUND',
  'KILN_OPENSTACK_CLOUD_INVALID',
  'KILN_OPENSTACK_PROVIDER_INVALID',
  'KILN_OPENSTACK_AUTH_FAILED',
  'KILN_OPENSTACK_REGION_NOT_FOUND',
  'KILN_OPENSTACK_SERVICE_NOT_FOUND',
  'KILN_OPENSTACK_FORMAT_REJECTED',
  'KILN_OPENSTACK_PROPERTY_REJECTED',
  'KILN_OPENSTACK_IMPORT_UNSUPPORTED',
  'KILN_OPENSTACK_FILE',
  'KILN_OPENSTACK_ABORTED',
]);

export class OpenStackError extends KilnError {
  /** HTTP status when the error came from a response */
  readonly status: number | undefined;
  /** which cloud/provider the error is about, for log lines */
  readonly cloud: string | undefined;

  constructor(
    code: OpenStackErrorCode,
    message: string,
    options?: { status?: number; cloud?: string; cause?: unknown; permanent?: boolean },
  ) {
    super(code, message, { cause: options?.cause, permanent: options?.permanent ?? PERMANENT.has(code) });
    this.status = options?.status;
    this.cloud = options?.cloud;
  }
}

export function isOpenStackError(err: unknown, code?: OpenStackErrorCode): err is OpenStackError {
  return err instanceof OpenStackError && (code === undefined || err.code === code);
}
