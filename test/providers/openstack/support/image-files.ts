/**
 * Small disk image files for upload tests, made with qemu-img so the format
 * probe accepts them: raw (random bytes), qcow2 and vhd converted from it.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export async function makeImageFile(dir: string, format: 'raw' | 'qcow2' | 'vhd', sizeMiB = 2): Promise<string> {
  const raw = join(dir, `source-${format}-${sizeMiB}.raw`);
  await writeFile(raw, randomBytes(sizeMiB * 1024 * 1024));
  if (format === 'raw') return raw;
  const out = join(dir, `image-${sizeMiB}.${format}`);
  await execa('qemu-img', ['convert', '-f', 'raw', '-O', format === 'vhd' ? 'vpc' : format, raw, out]);
  return out;
}
