/**
 * /etc/fstab by label (DIB's writefstab), written into the tree before the
 * filesystems are made from it, so the image carries it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemPlan } from './disk-plan.js';

export function renderFstab(filesystems: readonly FilesystemPlan[]): string {
  return filesystems
    .filter((fs) => fs.mountPoint && fs.fstab)
    .sort((a, b) => (a.mountPoint as string).localeCompare(b.mountPoint as string))
    .map((fs) => {
      const e = fs.fstab as NonNullable<FilesystemPlan['fstab']>;
      return `LABEL=${fs.label} ${fs.mountPoint} ${fs.type} ${e.options} ${e.dumpFreq} ${e.fsckPassno}\n`;
    })
    .join('');
}

export async function writeFstab(rootDir: string, filesystems: readonly FilesystemPlan[]): Promise<void> {
  const text = renderFstab(filesystems);
  if (!text) return;
  await mkdir(join(rootDir, 'etc'), { recursive: true });
  await writeFile(join(rootDir, 'etc/fstab'), text);
}
