/**
 * Checks that a file's content is the format it claims (`qemu-img info`),
 * because Glance does not: a raw file declared qcow2 becomes an "active"
 * image no server can boot. Without qemu-img the check is skipped.
 */
import { execa } from 'execa';
import { qemuFormatName } from './disk-formats.js';
import { OpenStackError } from './openstack-error.js';

export type FormatProbe = (filePath: string, format: string, cloud: string) => Promise<void>;

export const qemuImgProbe: FormatProbe = async (filePath, format, cloud) => {
  const expected = qemuFormatName(format);
  if (!expected) return;
  const result = await execa('qemu-img', ['info', '--output=json', filePath], { reject: false });
  if (result.failed && (result as { code?: string }).code === 'ENOENT') return;
  if (result.exitCode !== 0) {
    throw new OpenStackError('KILN_OPENSTACK_FILE', `qemu-img info ${filePath} failed: ${String(result.stderr).trim().split('\n')[0]}`, { cloud });
  }
  const detected = (JSON.parse(String(result.stdout)) as { format?: string }).format;
  if (detected !== expected) {
    throw new OpenStackError(
      'KILN_OPENSTACK_FORMAT_REJECTED',
      `${filePath} is declared ${format} but qemu-img reads it as ${detected ?? 'unknown'}: not uploading it to cloud "${cloud}"`,
      { cloud },
    );
  }
};

export const noFormatProbe: FormatProbe = async () => {};
