/**
 * A swap area inside the image without a block device: mkswap has no offset
 * option, so it formats a sparse scratch file of the partition's size and the
 * header it wrote (the first page; 64 KiB are copied to cover any page size)
 * is copied to the partition's offset. Label and UUID as DIB passes them
 * (`-L`, `-U`).
 */
import { rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilesystemPlan } from './disk-plan.js';
import { runTool, type ToolContext } from '../run-tool.js';
import { readAt, writeAt } from '../image-bytes.js';

const HEADER_BYTES = 64 * 1024;

export async function makeSwap(ctx: ToolContext & { workDir: string }, image: string, fs: FilesystemPlan): Promise<void> {
  const scratch = join(ctx.workDir, `swap-${fs.name}.img`);
  try {
    await writeFile(scratch, '');
    await truncate(scratch, fs.size);
    await runTool(ctx, 'mkswap', ['-L', fs.label, '-U', fs.uuid, ...fs.opts, scratch]);
    const header = await readAt(scratch, 0, Math.min(HEADER_BYTES, fs.size));
    await writeAt(image, [{ offset: fs.offset, bytes: header }]);
  } finally {
    await rm(scratch, { force: true });
  }
}
