import { execa } from 'execa';
import type { ResourceTracker } from '../../resources/types.js';

/**
 * mount(8) with the mount point recorded first: if we are killed between the
 * record and the mount, cleanup finds nothing mounted there and moves on.
 */
export async function mountTracked(resources: ResourceTracker, target: string, args: string[]): Promise<void> {
  await resources.track({ kind: 'mount', path: target });
  await execa('mount', [...args, target]);
}

/** Unmounts (lazily if busy) and forgets the mount. */
export async function unmountTracked(resources: ResourceTracker, target: string): Promise<void> {
  const plain = await execa('umount', [target], { reject: false });
  if (plain.exitCode !== 0) {
    const lazy = await execa('umount', ['-l', target], { reject: false });
    if (lazy.exitCode !== 0 && !/not mounted|no mount point/.test(lazy.stderr)) throw new Error(`umount ${target}: ${lazy.stderr}`);
  }
  await resources.release({ kind: 'mount', path: target });
}
