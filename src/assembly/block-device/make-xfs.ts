/**
 * xfs is the one filesystem our loopless route cannot make: mkfs.xfs has no
 * offset option and no way to populate from a directory (its protofile cannot
 * carry xattrs or hard links). So: one loop device over exactly the partition
 * (`losetup -o --sizelimit`, the disk's sector size, no partition scanning),
 * mkfs.xfs, mount, copy, unmount, detach. The loop and the mount are tracked
 * the moment they exist and released once undone; a failure undoes them here too.
 */
import { mkdtemp, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemPlan } from './disk-plan.js';
import type { MakeFsContext } from './make-filesystems.js';
import { runTool } from '../run-tool.js';
import type { TrackedResource } from '../../resources/types.js';
import { withLoopDevice } from './loop-device.js';

export async function makeXfsViaLoop(ctx: MakeFsContext, image: string, fs: FilesystemPlan, source: string | undefined): Promise<void> {
  await withLoopDevice(ctx, image, { offset: fs.offset, sizeLimit: fs.size, sectorSize: ctx.sectorSize }, async (device) => {
    await runTool(ctx, 'mkfs.xfs', ['-f', '-q', '-L', fs.label, '-m', `uuid=${fs.uuid}`, ...fs.opts, device]);
    if (source) await copyIntoXfs(ctx, device, source);
  });
}

async function copyIntoXfs(ctx: MakeFsContext, device: string, source: string): Promise<void> {
  const dir = await mkdtemp(join(ctx.workDir, 'xfs-mnt-'));
  const mount: TrackedResource = { kind: 'mount', path: dir };
  await ctx.resources.track(mount);
  try {
    await runTool(ctx, 'mount', ['-t', 'xfs', device, dir]);
  } catch (err) {
    await rmdir(dir);
    await ctx.resources.release(mount);
    throw err;
  }
  try {
    await runTool(ctx, 'cp', ['-a', '--preserve=all', `${source}/.`, dir]);
  } finally {
    try {
      await runTool(ctx, 'umount', [dir]);
      await rmdir(dir);
      await ctx.resources.release(mount);
    } catch (err) {
      ctx.log(`cleanup of ${JSON.stringify(mount)} failed: ${(err as Error).message}`);
    }
  }
}
