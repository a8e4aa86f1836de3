/**
 * The `POST /v2/images` body nodepool's openstacksdk call produces
 * (glance-api.md §3.1, §5, §6): name, disk/container format, private, the
 * upload's properties as strings, and openstacksdk's owner_specified.* keys
 * so images look the same whichever builder uploaded them.
 */
import { OpenStackError } from './openstack-error.js';

export interface ImageBodyInput {
  name: string;
  diskFormat: string;
  metadata: Record<string, string>;
  md5?: string;
  sha256?: string;
  cloud: string;
}

/** Core fields Glance types as integers; openstacksdk converts them too. */
const INTEGER_FIELDS = new Set(['min_disk', 'min_ram']);
/** Core fields a property must not overwrite (Glance would refuse or misread them). */
const READ_ONLY_FIELDS = new Set([
  'id', 'status', 'checksum', 'os_hash_algo', 'os_hash_value', 'size', 'virtual_size', 'created_at', 'updated_at',
  'self', 'file', 'schema', 'direct_url', 'locations', 'owner', 'name', 'visibility', 'disk_format', 'container_format',
]);

export function glanceImageBody(input: ImageBodyInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: input.name,
    disk_format: input.diskFormat,
    container_format: 'bare',
    visibility: 'private',
  };
  for (const [key, value] of Object.entries(input.metadata)) {
    if (key.startsWith('os_glance_') || READ_ONLY_FIELDS.has(key)) {
      throw new OpenStackError('KILN_OPENSTACK_PROPERTY_REJECTED', `image property "${key}" is reserved by Glance (cloud "${input.cloud}")`, {
        cloud: input.cloud,
      });
    }
    body[key] = INTEGER_FIELDS.has(key) && /^\d+$/.test(value) ? Number(value) : String(value);
  }
  body['owner_specified.openstack.md5'] = input.md5 ?? '';
  body['owner_specified.openstack.sha256'] = input.sha256 ?? '';
  body['owner_specified.openstack.object'] = `images/${input.name}`;
  return body;
}
