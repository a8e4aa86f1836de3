/**
 * One clouds.yaml entry → CloudConfig for one provider: auth method, scope,
 * region, interface, TLS. Follows openstacksdk's reading of the keys
 * (auth_type password/v3password/v3applicationcredential, *_id over *_name,
 * `domain_*`/`default_domain` filling missing user/project domains).
 */
import { DEFAULTS } from '../../config/defaults.js';
import type { CloudConfig, KeystoneCredentials, KeystoneScope, NamedRef } from './cloud-config.js';
import { isRecord, type CloudsFiles } from './clouds-files.js';
import { OpenStackError } from './openstack-error.js';
import { Secret } from './secret.js';

const PASSWORD_TYPES = new Set(['password', 'v3password']);
const APP_CREDENTIAL_TYPES = new Set(['v3applicationcredential', 'application_credential']);
/** openstacksdk vendor profiles known to change the upload format */
const VENDOR_IMAGE_FORMATS: Record<string, string> = { rackspace: 'vhd' };

export function resolveCloud(files: CloudsFiles, cloudName: string, providerRegion: string | null): CloudConfig {
  const source = files.cloudsPath ?? files.securePath;
  const entry = files.clouds[cloudName];
  if (!source || !isRecord(entry)) {
    const known = Object.keys(files.clouds);
    const where = source ? `in ${source}` : 'because no clouds.yaml was found (OS_CLIENT_CONFIG_FILE, ./clouds.yaml, ~/.config/openstack, /etc/openstack)';
    throw new OpenStackError(
      'KILN_OPENSTACK_CLOUD_NOT_FOUND',
      `cloud "${cloudName}" is not defined ${where}${known.length ? `; defined clouds: ${known.join(', ')}` : ''}`,
      { cloud: cloudName },
    );
  }
  const invalid = (problem: string): OpenStackError =>
    new OpenStackError('KILN_OPENSTACK_CLOUD_INVALID', `${source}: clouds.${cloudName}: ${problem}`, { cloud: cloudName });
  const auth = isRecord(entry['auth']) ? entry['auth'] : {};
  const authUrl = text(auth['auth_url']);
  if (!authUrl && !text(entry['image_endpoint_override'])) throw invalid('auth.auth_url is missing');
  return {
    name: cloudName,
    source,
    authUrl: (authUrl ?? '').replace(/\/+$/, '').replace(/\/v3$/, ''),
    credentials: credentials(entry, auth, invalid),
    interface: text(entry['interface']) ?? text(entry['endpoint_type'])?.replace(/URL$/, '') ?? 'public',
    regionName: region(entry, providerRegion, cloudName, source),
    ...(text(entry['image_endpoint_override']) ? { imageEndpointOverride: text(entry['image_endpoint_override']) as string } : {}),
    imageFormat: imageFormat(entry),
    tls: {
      verify: entry['verify'] !== false && entry['insecure'] !== true,
      ...(text(entry['cacert']) ? { caFile: text(entry['cacert']) as string } : {}),
      ...(text(entry['cert']) ? { certFile: text(entry['cert']) as string } : {}),
      ...(text(entry['key']) ? { keyFile: text(entry['key']) as string } : {}),
    },
  };
}

function credentials(
  entry: Record<string, unknown>,
  auth: Record<string, unknown>,
  invalid: (problem: string) => OpenStackError,
): KeystoneCredentials {
  const declared = text(entry['auth_type']);
  const type = declared ?? (text(auth['application_credential_secret']) ? 'v3applicationcredential' : 'password');
  const defaultDomain = text(entry['default_domain']) ?? text(auth['default_domain']);
  const domain: NamedRef = ref(auth['domain_id'], auth['domain_name']);
  const userDomain = firstRef(ref(auth['user_domain_id'], auth['user_domain_name']), domain, ref(defaultDomain, undefined));
  const user = ref(auth['user_id'], auth['username'] ?? auth['user_name']);

  if (APP_CREDENTIAL_TYPES.has(type)) {
    const secret = text(auth['application_credential_secret']);
    const id = text(auth['application_credential_id']);
    const name = text(auth['application_credential_name']);
    if (!secret) throw invalid('auth.application_credential_secret is missing');
    if (!id && !name) throw invalid('auth.application_credential_id (or _name with a user) is missing');
    if (!id && isEmpty(user)) throw invalid('an application credential given by name needs auth.username or auth.user_id');
    return {
      method: 'application_credential',
      ...(id ? { id } : {}),
      ...(name ? { name } : {}),
      ...(isEmpty(user) ? {} : { user, userDomain }),
      secret: new Secret(secret),
    };
  }
  if (!PASSWORD_TYPES.has(type)) throw invalid(`auth_type "${type}" is not supported (use password or v3applicationcredential)`);
  const password = text(auth['password']);
  if (isEmpty(user)) throw invalid('auth.username (or auth.user_id) is missing');
  if (password === undefined) throw invalid('auth.password is missing (clouds.yaml or secure.yaml)');
  if (!user.id && isEmpty(userDomain)) throw invalid('auth.user_domain_name (or _id, domain_*, default_domain) is needed with auth.username');
  return { method: 'password', user, userDomain, password: new Secret(password), scope: scope(auth, domain, defaultDomain, invalid) };
}

function scope(
  auth: Record<string, unknown>,
  domain: NamedRef,
  defaultDomain: string | undefined,
  invalid: (problem: string) => OpenStackError,
): KeystoneScope {
  const project = ref(auth['project_id'] ?? auth['tenant_id'], auth['project_name'] ?? auth['tenant_name']);
  if (!isEmpty(project)) {
    const projectDomain = firstRef(ref(auth['project_domain_id'], auth['project_domain_name']), domain, ref(defaultDomain, undefined));
    if (!project.id && isEmpty(projectDomain)) throw invalid('auth.project_domain_name (or _id) is needed with auth.project_name');
    return { kind: 'project', project, domain: projectDomain };
  }
  if (!isEmpty(domain)) return { kind: 'domain', domain };
  return { kind: 'unscoped' };
}

/** The provider's `region-name` wins; it must be one of the cloud's `regions` when the cloud lists them. */
function region(entry: Record<string, unknown>, providerRegion: string | null, cloud: string, source: string): string | null {
  const listed = Array.isArray(entry['regions'])
    ? entry['regions'].map((r) => (isRecord(r) ? text(r['name']) : text(r))).filter((r): r is string => r !== undefined)
    : [];
  const chosen = providerRegion || text(entry['region_name']) || (listed.length === 1 ? listed[0] : undefined);
  if (chosen && listed.length > 0 && !listed.includes(chosen)) {
    throw new OpenStackError(
      'KILN_OPENSTACK_REGION_NOT_FOUND',
      `region "${chosen}" is not a region of cloud "${cloud}" (${source}); its regions: ${listed.join(', ')}`,
      { cloud },
    );
  }
  return chosen ?? null;
}

function imageFormat(entry: Record<string, unknown>): string {
  const own = text(entry['image_format']);
  const profile = text(entry['profile']);
  return own ?? (profile ? VENDOR_IMAGE_FORMATS[profile] : undefined) ?? DEFAULTS.openstackImageFormat;
}

function ref(id: unknown, name: unknown): NamedRef {
  const idText = text(id);
  const nameText = text(name);
  return { ...(idText ? { id: idText } : {}), ...(nameText ? { name: nameText } : {}) };
}

function firstRef(...refs: NamedRef[]): NamedRef {
  return refs.find((r) => !isEmpty(r)) ?? {};
}

function isEmpty(r: NamedRef): boolean {
  return !r.id && !r.name;
}

/** YAML may give numbers (a numeric project id): keep them as text */
function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
