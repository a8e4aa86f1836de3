/**
 * qcow2, vhd and any other qemu-img format. zlib qcow2 (the default) is
 * written by Kiln's own writer (qcow2/qcow2-writer.ts: parallel compression,
 * hashed as written); qemu-img remains for what that writer does not support
 * (see qcow2/qcow2-settings.ts) and for KILN_QCOW2_WRITER=qemu-img.
 * qemu-img seeks while writing
 * (qcow2 metadata, the vpc footer/BAT) and refuses a pipe ("Could not resize
 * file"), so its bytes cannot be hashed in flight; the finished file is hashed
 * straight after qemu-img exits, while it is still in the page cache (no disk
 * read; the cost is the hashing CPU, measured in the benchmark).
 *
 * Knobs (documented in the report/README):
 *  - `--qemu-img-options` → `-o` for qcow2 (nodepool passes compat=0.10)
 *  - KILN_QCOW2_COMPRESSION = zlib (default, DIB's `-c`) | zstd | none
 *    (zstd needs compat=1.1, so it is refused together with compat=0.10;
 *    zstd and none go through qemu-img)
 *  - KILN_QCOW2_WRITER = kiln (default) | qemu-img; KILN_QCOW2_LEVEL = 1-9
 *    (Kiln's writer only, default 3)
 *  - KILN_VHD_SUBFORMAT = dynamic (default, DIB's vhd-util result) | fixed;
 *    always force_size=on so the virtual size is exactly the image size, which
 *    Azure-style clouds require (without it qemu rounds to CHS geometry).
 */
import { runTool } from '../run-tool.js';
import { AssemblyError } from '../assembly-error.js';
import { hashFile } from './digest.js';
import { checksumsFor, type OutputJob, type OutputDigests } from './output-job.js';
import { nativeQcow2Settings } from './qcow2/qcow2-settings.js';
import { canWriteNatively, writeQcow2 } from './qcow2/qcow2-writer.js';

export async function writeQemuFormat(job: OutputJob, format: string): Promise<OutputDigests> {
  const target = job.targets[format] as string;
  const native = format === 'qcow2' ? nativeQcow2Settings(job.env, job.qemuImgOptions) : undefined;
  if (native && (await canWriteNatively(job.image))) {
    job.log(`kiln qcow2 writer: ${job.image} → ${target} (v${native.version}, zlib level ${native.level})`);
    const digests = await writeQcow2({ image: job.image, target, settings: native, hash: checksumsFor(job, format), signal: job.signal });
    return { qcow2: digests };
  }
  const args = ['convert', '-f', 'raw', ...qemuFormatArgs(format, job.env, job.qemuImgOptions), job.image, target];
  await runTool({ log: job.log, signal: job.signal }, 'qemu-img', args);
  return { [format]: await hashFile(target, checksumsFor(job, format), job.signal) };
}

export function qemuFormatArgs(format: string, env: Record<string, string>, qemuImgOptions?: string): string[] {
  if (format === 'qcow2') return qcow2Args(env, qemuImgOptions);
  if (format === 'vhd') {
    const sub = env.KILN_VHD_SUBFORMAT ?? 'dynamic';
    if (sub !== 'dynamic' && sub !== 'fixed') throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', `KILN_VHD_SUBFORMAT must be dynamic or fixed, got ${sub}`);
    return ['-O', 'vpc', '-o', `subformat=${sub},force_size=on`];
  }
  return ['-O', format];
}

function qcow2Args(env: Record<string, string>, qemuImgOptions?: string): string[] {
  const compression = env.KILN_QCOW2_COMPRESSION ?? 'zlib';
  const opts = (qemuImgOptions ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  if (compression === 'zstd') {
    if (opts.includes('compat=0.10')) {
      throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', 'KILN_QCOW2_COMPRESSION=zstd needs qcow2 compat=1.1, but --qemu-img-options asks for compat=0.10');
    }
    opts.push('compression_type=zstd');
  } else if (compression !== 'zlib' && compression !== 'none') {
    throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', `KILN_QCOW2_COMPRESSION must be zlib, zstd or none, got ${compression}`);
  }
  return [...(compression === 'none' ? [] : ['-c']), '-O', 'qcow2', ...(opts.length ? ['-o', opts.join(',')] : [])];
}
