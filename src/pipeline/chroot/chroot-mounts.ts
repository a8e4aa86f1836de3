import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResourceTracker } from '../../resources/types.js';
import { mountsBelow } from '../../resources/mount-table.js';
import { mountTracked, unmountTracked } from './mount-tracked.js';

/**
 * DIB's mount_proc_dev_sys: proc, a bind of the host /dev, a private devpts
 * instance over it (so the chroot's ptys are its own), and sysfs read-only.
 */
export async function mountChrootFilesystems(root: string, resources: ResourceTracker): Promise<void> {
  for (const dir of ['proc', 'dev', 'sys']) await mkdir(join(root, dir), { recursive: true });
  await mountTracked(resources, join(root, 'proc'), ['-t', 'proc', 'none']);
  await mountTracked(resources, join(root, 'dev'), ['--bind', '/dev']);
  await mkdir(join(root, 'dev', 'pts'), { recursive: true }).catch(() => undefined);
  await mountTracked(resources, join(root, 'dev', 'pts'), ['-t', 'devpts', '-o', 'newinstance,ptmxmode=0666,mode=620', 'devpts']);
  await mountTracked(resources, join(root, 'sys'), ['-t', 'sysfs', '-o', 'ro', 'none']);
}

/**
 * Unmounts everything below the image tree, deepest first: our chroot mounts
 * and whatever element scripts mounted there (apt cache binds…).
 */
export async function unmountAllBelow(root: string, resources: ResourceTracker): Promise<void> {
  for (const mp of await mountsBelow(root)) {
    if (mp === root) continue;
    await unmountTracked(resources, mp);
  }
}
