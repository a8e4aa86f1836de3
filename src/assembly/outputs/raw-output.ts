/** raw: the assembled image streamed through the hasher into the output file, kept sparse. */
import { pump, readChunks } from './pump.js';
import type { OutputJob, OutputDigests } from './output-job.js';

export async function writeRaw(job: OutputJob): Promise<OutputDigests> {
  const target = job.targets.raw as string;
  const digests = await pump(readChunks(job.image), { files: [target], hash: job.checksum, sparse: true, signal: job.signal });
  return { raw: digests };
}
