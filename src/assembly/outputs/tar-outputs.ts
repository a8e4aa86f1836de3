/**
 * tar, tgz and docker from ONE tar run over the tree: its stdout is hashed and
 * written to the .tar and .docker files and teed into gzip, whose stdout is
 * hashed and written to the .tgz. Every byte is hashed as it is written.
 * Like DIB: `--exclude ./sys --exclude ./proc --xattrs --xattrs-include=*`;
 * plus `--numeric-owner`, because the host's user names are not the image's.
 * gzip: DIB_GZIP_BIN (e.g. pigz, default gzip), level KILN_GZIP_LEVEL (default 6;
 * DIB uses 9, which costs ~2× the time for ~1 % size).
 */
import { execa } from 'execa';
import { openSink } from './pump.js';
import { toolError } from '../run-tool.js';
import type { OutputJob, OutputDigests } from './output-job.js';
import type { Digests } from './digest.js';

export const TAR_ARGS = ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--exclude', './sys', '--exclude', './proc', '-cf', '-', '.'];

export async function writeTarFormats(job: OutputJob, formats: readonly string[]): Promise<OutputDigests> {
  const tarFiles = formats.filter((f) => f === 'tar' || f === 'docker').map((f) => job.targets[f] as string);
  const wantGzip = formats.includes('tgz');
  const gzipBin = job.env.DIB_GZIP_BIN || 'gzip';
  const gzipArgs = [`-${job.env.KILN_GZIP_LEVEL ?? '6'}`, '-c'];
  const hashTar = job.checksum && tarFiles.length > 0;
  // Sinks first: the children's output is consumed from its first byte.
  const tgzSink = wantGzip ? await openSink({ files: [job.targets.tgz as string], hash: job.checksum, signal: job.signal }) : undefined;
  const gzip = wantGzip ? execa(gzipBin, gzipArgs, { buffer: { stdout: false, stderr: true }, cancelSignal: job.signal, encoding: 'buffer' }) : undefined;
  const tarSink = await openSink({ files: tarFiles, hash: hashTar, ...(gzip ? { tee: gzip.stdin } : {}), signal: job.signal });
  job.log(`$ tar -C ${job.rootDir} ${TAR_ARGS.join(' ')} → ${formats.join(', ')}`);
  const tar = execa('tar', ['-C', job.rootDir, ...TAR_ARGS], { buffer: { stdout: false, stderr: true }, cancelSignal: job.signal, encoding: 'buffer' });
  const [tarDigests, tgzDigests] = await Promise.all([
    tarSink.drain(tar.stdout as AsyncIterable<Uint8Array>),
    gzip && tgzSink ? tgzSink.drain(gzip.stdout as AsyncIterable<Uint8Array>) : undefined,
    tar.catch((err: unknown) => Promise.reject(toolError('tar', TAR_ARGS, err))),
    gzip?.catch((err: unknown) => Promise.reject(toolError(gzipBin, gzipArgs, err))),
  ]);
  const out: Record<string, Digests | undefined> = {};
  for (const f of formats) out[f] = f === 'tgz' ? tgzDigests : tarDigests;
  return out;
}
