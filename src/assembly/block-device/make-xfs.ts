/**
 * xfs is the one filesystem our loopless route cannot make: mkfs.xfs has no
 * offset option and no way to populate from a directory (its protofile cannot
 * carry xattrs or hard links). So: one loop device over exactly the partition
 * (`losetup -o --sizelimit`, no partition scanning), mkfs.xfs, mount, copy,
 * unmount, detach. The loop and the mount are tracked the moment they exist and
 * released once undone; a failure undoes them here too.
 */
import { mkdtemp, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemPlan } from './disk-plan.js';
import type { MakeFsContext } from './make-filesystems.js';
import { runTool } from '../run-tool.js';
import type { TrackedResource } from '../../resources/types.js';

export async function makeXfsViaLoop(ctx: MakeFsContext, image: string, fs: FilesystemPlan, source: string | undefined): Promise<void> {
  const undo: Array<{ resource: TrackedResource; run: () => Promise<unknown> }> = [];
  try {
    const device = await runTool(ctx, 'losetup', ['--show', '-f', '-o', String(fs.offset), '--sizelimit', String(fs.size), image]);
    const loop: TrackedResource = { kind: 'loop', device, backingFile: image };
    await ctx.resources.track(loop);
    undo.push({ resource: loop, run: () => runTool(ctx, 'losetup', ['-d', device]) });
    await runTool(ctx, 'mkfs.xfs', ['-f', '-q', '-L', fs.label, '-m', `uuid=${fs.uuid}`, ...fs.opts, device]);
    if (!source) return;
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
    undo.push({ resource: mount, run: async () => { await runTool(ctx, 'umount', [dir]); await rmdir(dir); } });
    await runTool(ctx, 'cp', ['-a', '--preserve=all', `${source}/.`, dir]);
  } finally {
    // Undo in reverse even after a failure; an undo that fails stays tracked for `kiln cleanup`.
    for (const step of undo.reverse()) {
      try {
        await step.run();
        await ctx.resources.release(step.resource);
      } catch (err) {
        ctx.log(`cleanup of ${JSON.stringify(step.resource)} failed: ${(err as Error).message}`);
      }
    }
  }
}
