/**
 * tar, tgz and docker from ONE tar run over the tree.
 *  - tar/docker only: tar writes the .tar itself (as DIB's `tar -cf` does;
 *    no byte passes through Node) and .docker is a hard link to it.
 *  - with tgz: tar's stdout is written to the .tar/.docker files and teed
 *    into gzip, whose stdout is written to the .tgz and hashed as written.
 * Checksums as DIB: the tgz gets them, tar and docker do not
 * (checksum-kinds.ts).
 * Like DIB: `--exclude ./sys --exclude ./proc --xattrs --xattrs-include=*`;
 * plus `--numeric-owner`, because the host's user names are not the image's.
 * gzip: DIB_GZIP_BIN, else pigz when installed, else gzip (gzip-command.ts);
 * level KILN_GZIP_LEVEL (default 6; DIB uses 9, which costs ~2× the time for
 * ~1 % size).
 */
import { execa } from 'execa';
import { link, rm } from 'node:fs/promises';
import { openSink } from './pump.js';
import { runTool, toolError } from '../run-tool.js';
import { gzipCommand } from './gzip-command.js';
import { checksumsFor, type OutputJob, type OutputDigests } from './output-job.js';

const TAR_OPTIONS = ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--exclude', './sys', '--exclude', './proc'];

/** tar's arguments writing the archive of `.` to `file` ("-" = stdout). */
export function tarArgs(file: string): string[] {
  return [...TAR_OPTIONS, '-cf', file, '.'];
}

export async function writeTarFormats(job: OutputJob, formats: readonly string[]): Promise<OutputDigests> {
  const tarFiles = formats.filter((f) => f === 'tar' || f === 'docker').map((f) => job.targets[f] as string);
  if (!formats.includes('tgz')) {
    await writeTarFiles(job, tarFiles);
    return {};
  }
  return { tgz: await writeWithGzip(job, tarFiles) };
}

async function writeTarFiles(job: OutputJob, files: readonly string[]): Promise<void> {
  const [first, ...others] = files as [string, ...string[]];
  await runTool({ log: job.log, signal: job.signal }, 'tar', ['-C', job.rootDir, ...tarArgs(first)]);
  for (const other of others) {
    await rm(other, { force: true });
    await link(first, other);
  }
}

async function writeWithGzip(job: OutputJob, tarFiles: readonly string[]): Promise<OutputDigests[string]> {
  const gzipBin = gzipCommand(job.env);
  const gzipArgs = [`-${job.env.KILN_GZIP_LEVEL ?? '6'}`, '-c'];
  const args = ['-C', job.rootDir, ...tarArgs('-')];
  // Sinks first, and each child's stdout drained in the same tick it is spawned:
  // execa (buffer: false) discards output nobody reads yet, and pigz writes its
  // gzip header at once.
  const tgzSink = await openSink({ files: [job.targets.tgz as string], hash: checksumsFor(job, 'tgz'), signal: job.signal });
  const tarSink = await openSink({ files: tarFiles, hash: [], signal: job.signal });
  const gzip = execa(gzipBin, gzipArgs, { buffer: { stdout: false, stderr: true }, cancelSignal: job.signal, encoding: 'buffer' });
  const tgzDrained = tgzSink.drain(gzip.stdout as AsyncIterable<Uint8Array>);
  job.log(`$ tar ${args.join(' ')} | ${gzipBin} ${gzipArgs.join(' ')}`);
  const tar = execa('tar', args, { buffer: { stdout: false, stderr: true }, cancelSignal: job.signal, encoding: 'buffer' });
  const [, tgzDigests] = await Promise.all([
    tarSink.drain(tar.stdout as AsyncIterable<Uint8Array>, gzip.stdin ?? undefined),
    tgzDrained,
    tar.catch((err: unknown) => Promise.reject(toolError('tar', args, err))),
    gzip.catch((err: unknown) => Promise.reject(toolError(gzipBin, gzipArgs, err))),
  ]);
  return tgzDigests;
}
