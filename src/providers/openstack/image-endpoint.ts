/**
 * The Glance v2 base URL (glance-api.md §2): the catalog URL is usually
 * unversioned and `GET {url}/` lists the versions (300 Multiple Choices).
 * We check that a v2 version is offered but build `{url}/v2` ourselves:
 * Glance's own hrefs use its `public_endpoint`, which is wrong behind a proxy.
 */
import { OpenStackError } from './openstack-error.js';

export interface VersionDocument {
  versions?: Array<{ id?: string; status?: string }>;
}

/** A URL that already names v2 (`…/v2`, `…/v2.1/`) is used as is, without discovery. */
export function versionedUrl(catalogUrl: string): string | null {
  const trimmed = catalogUrl.replace(/\/+$/, '');
  return /\/v2(\.\d+)?$/.test(trimmed) ? trimmed.replace(/\/v2\.\d+$/, '/v2') : null;
}

/** From the discovery answer: `{url}/v2`, or an error when the server offers no v2. */
export function imageV2Url(catalogUrl: string, status: number, body: string, cloud: string): string {
  const base = catalogUrl.replace(/\/+$/, '');
  if (status !== 300 && status !== 200) return `${base}/v2`; // no discovery document: assume the usual layout
  let doc: VersionDocument;
  try {
    doc = JSON.parse(body) as VersionDocument;
  } catch {
    return `${base}/v2`;
  }
  const versions = Array.isArray(doc.versions) ? doc.versions : [];
  const usable = versions.some((v) => /^v2(\.\d+)?$/.test(v.id ?? '') && ['CURRENT', 'SUPPORTED', 'stable'].includes(v.status ?? ''));
  if (versions.length > 0 && !usable) {
    throw new OpenStackError(
      'KILN_OPENSTACK_SERVICE_NOT_FOUND',
      `the image service of cloud "${cloud}" at ${base} offers no Image API v2 (versions: ${versions.map((v) => `${v.id}/${v.status}`).join(', ')})`,
      { cloud },
    );
  }
  return `${base}/v2`;
}
