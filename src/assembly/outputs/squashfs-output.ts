/**
 * squashfs (`.squash`): mksquashfs over the tree, as DIB runs it (xz, no
 * /proc and /sys contents). Like DIB, no checksum files (checksum-kinds.ts).
 * KILN_SQUASHFS_COMP overrides the compressor (e.g. zstd: ~10× faster than xz).
 */
import { runTool } from '../run-tool.js';
import type { OutputJob, OutputDigests } from './output-job.js';

export async function writeSquashfs(job: OutputJob): Promise<OutputDigests> {
  const target = job.targets.squashfs as string;
  const comp = job.env.KILN_SQUASHFS_COMP ?? 'xz';
  await runTool({ log: job.log, signal: job.signal }, 'mksquashfs', [
    job.rootDir, target, '-comp', comp, '-noappend', '-no-recovery', '-no-progress', '-quiet', '-wildcards', '-e', 'proc/*', 'sys/*',
  ]);
  return {};
}
