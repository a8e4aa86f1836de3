/**
 * Which file formats Glance accepts as `disk_format` (glance-api.md §3.1) and
 * what `qemu-img info` calls each, so a file can be checked before upload:
 * Glance 25 happily stores raw bytes declared as qcow2.
 */
import { OpenStackError } from './openstack-error.js';

export const GLANCE_DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const;

/** qemu-img's name for the formats it can recognise; the others are not probed */
const QEMU_NAMES: Record<string, string> = {
  qcow2: 'qcow2',
  raw: 'raw',
  vhd: 'vpc',
  vhdx: 'vhdx',
  vmdk: 'vmdk',
  vdi: 'vdi',
  ploop: 'parallels',
};

/** The `disk_format` for a file of this format (= its extension, as nodepool sends it), or an error. */
export function diskFormatFor(format: string, cloud: string): string {
  if ((GLANCE_DISK_FORMATS as readonly string[]).includes(format)) return format;
  throw new OpenStackError(
    'KILN_OPENSTACK_FORMAT_REJECTED',
    `format "${format}" cannot be uploaded to cloud "${cloud}": Glance disk formats are ${GLANCE_DISK_FORMATS.join(', ')}`,
    { cloud },
  );
}

export function qemuFormatName(format: string): string | undefined {
  return QEMU_NAMES[format];
}
