/**
 * tar, tgz and docker from ONE tar run over the tree: its stdout is hashed and
 * written to the .tar and .docker files and teed into gzip, whose stdout is
 * hashed and written to the .tgz. Every byte is hashed as it is written.
 * Like DIB: `--exclude ./sys --exclude ./proc --xattrs --xattrs-include=*`;
 * plus `--numeric-owner`, because the host's user names are not the image's.
 * gzip: DIB_GZIP_BIN, else pigz when installed, else gzip (gzip-command.ts);
 * level KILN_GZIP_LEVEL (default 6; DIB uses 9, which costs ~2× the time for
 * ~1 % size).
 */
import { execa } from 'execa';
import { openSink } from './pump.js';
import { toolError } from '../run-tool.js';
import { gzipCommand } from './gzip-command.js';
import type { OutputJob, OutputDigests } from './output-job.js';
import type { Digests } from './digest.js';

export const TAR_ARGS = ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--exclude', './sys', '--exclude', './proc', '-cf', '-', '.'];

export async function writeTarFormats(job: OutputJob, formats: readonly string[]): Promise<OutputDigests> {
  const tarFiles = formats.filter((f) => f === 'tar' || f === 'docker').map((f) => job.targets[f] as string);
  const wantGzip = formats.includes('tgz');
  const gzipBin = gzipCommand(job.env);
  const gzipArgs = [`-${job.env.KILN_GZIP_LEVEL ?? '6'}`, '-c'];
  const hashTar = job.checksum && tarFiles.length > 0;
  // Sinks first, and each child's stdout drained in the same tick it is spawned:
  // execa (buffer: false) discards output nobody reads yet, and pigz writes its
  // gzip header at once.
  const tgzSink = wantGzip ? await openSink({ files: [job.targets.tgz as string], hash: job.checksum, signal: job.signal }) : undefined;
  const tarSink = await openSink({ files: tarFiles, hash: hashTar, signal: job.signal });
  const gzip = wantGzip ? execa(gzipBin, gzipArgs, { buffer: { stdout: false, stderr: true }, cancelSignal: job.signal, encoding: 'buffer' }) : undefined;
  const tgzDrained = gzip && tgzSink ? tgzSink.drain(gzip.stdout as AsyncIterable<Uint8Array>) : undefined;
  job.log(`$ tar -C ${job.rootDir} ${TAR_ARGS.join(' ')} → ${formats.join(', ')}`);
  const tar = execa('tar', ['-C', job.rootDir, ...TAR_ARGS], { buffer: { stdout: false, stderr: true }, cancelSignal: job.signal, encoding: 'buffer' });
  const [tarDigests, tgzDigests] = await Promise.all([
    tarSink.drain(tar.stdout as AsyncIterable<Uint8Array>, gzip?.stdin ?? undefined),
    tgzDrained,
    tar.catch((err: unknown) => Promise.reject(toolError('tar', TAR_ARGS, err))),
    gzip?.catch((err: unknown) => Promise.reject(toolError(gzipBin, gzipArgs, err))),
  ]);
  const out: Record<string, Digests | undefined> = {};
  for (const f of formats) out[f] = f === 'tgz' ? tgzDigests : tarDigests;
  return out;
}
