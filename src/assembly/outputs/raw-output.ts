/**
 * raw: the assembled image itself. DIB moves its temporary image into place;
 * the image is still being read by the other formats here, so it is
 * hard-linked instead (no bytes copied, the file stays sparse) and, when
 * checksums are wanted, hashed by reading it once straight into the hashers.
 * Across filesystems (the work dir on another mount than the output) it is
 * copied front to back, sparse, hashed as written.
 */
import { link, rm } from 'node:fs/promises';
import { hashFile } from './digest.js';
import { pump, readChunks } from './pump.js';
import { checksumsFor, type OutputJob, type OutputDigests } from './output-job.js';

/** link(2) errors that mean "cannot link here, copy instead". */
const COPY_INSTEAD = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP']);

export async function writeRaw(job: OutputJob): Promise<OutputDigests> {
  const target = job.targets.raw as string;
  const kinds = checksumsFor(job, 'raw');
  await rm(target, { force: true });
  try {
    await link(job.image, target);
  } catch (err) {
    if (!COPY_INSTEAD.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
    job.log(`raw: cannot hard-link ${job.image} to ${target} (${(err as NodeJS.ErrnoException).code}); copying`);
    return { raw: await pump(readChunks(job.image), { files: [target], hash: kinds, sparse: true, signal: job.signal }) };
  }
  return { raw: await hashFile(target, kinds, job.signal) };
}
