/**
 * A loop device for the few steps that truly need a block device (mkfs.xfs,
 * a GPT on 4 KiB sectors), never with partition scanning. Tracked as a
 * resource as soon as losetup names it; always detached afterwards, even when
 * `fn` fails (a detach that fails stays tracked for `kiln cleanup`).
 */
import { runTool, type ToolContext } from '../run-tool.js';
import type { ResourceTracker, TrackedResource } from '../../resources/types.js';

export interface LoopOptions {
  /** byte range of the file the device covers (default: all of it) */
  offset?: number;
  sizeLimit?: number;
  /** logical sector size (default 512) */
  sectorSize?: number;
}

export async function withLoopDevice<T>(
  ctx: ToolContext & { resources: ResourceTracker },
  image: string,
  options: LoopOptions,
  fn: (device: string) => Promise<T>,
): Promise<T> {
  const args = ['--show', '-f'];
  if (options.offset !== undefined) args.push('-o', String(options.offset));
  if (options.sizeLimit !== undefined) args.push('--sizelimit', String(options.sizeLimit));
  if (options.sectorSize !== undefined && options.sectorSize !== 512) args.push('--sector-size', String(options.sectorSize));
  const device = await runTool(ctx, 'losetup', [...args, image]);
  const loop: TrackedResource = { kind: 'loop', device, backingFile: image };
  await ctx.resources.track(loop);
  try {
    return await fn(device);
  } finally {
    try {
      await runTool(ctx, 'losetup', ['-d', device]);
      await ctx.resources.release(loop);
    } catch (err) {
      ctx.log(`cleanup of ${JSON.stringify(loop)} failed: ${(err as Error).message}`);
    }
  }
}
