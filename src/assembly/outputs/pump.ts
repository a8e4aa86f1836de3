/**
 * The one place output bytes flow through Node: each chunk is hashed (the
 * checksums asked for, in worker threads, see digest.ts) and written to every
 * target file, and optionally fed to a child's stdin (tar → gzip). With
 * `sparse`, all-zero chunks are skipped and the file is extended at the end,
 * so a 2 GiB raw image stays sparse.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { Digester, type Digests } from './digest.js';
import type { ChecksumKind } from './checksum-kinds.js';
import { throwIfAborted } from '../run-tool.js';

export interface PumpOptions {
  files: readonly string[];
  /** checksums to compute over the bytes (none: nothing is hashed) */
  hash: readonly ChecksumKind[];
  sparse?: boolean;
  signal?: AbortSignal;
}

export interface Sink {
  /** Writes (and hashes) `chunks`; every chunk also goes to `tee` when given (ended at the end). */
  drain(chunks: AsyncIterable<Uint8Array>, tee?: Writable): Promise<Digests | undefined>;
}

export async function pump(chunks: AsyncIterable<Uint8Array>, options: PumpOptions): Promise<Digests | undefined> {
  return (await openSink(options)).drain(chunks);
}

/**
 * Opens the target files first and returns the consumer: a child's stdout must
 * be read from its very first byte, so open files before spawning the child.
 */
export async function openSink(options: PumpOptions): Promise<Sink> {
  const handles: FileHandle[] = [];
  try {
    for (const f of options.files) handles.push(await open(f, 'w'));
  } catch (err) {
    await Promise.all(handles.map((h) => h.close()));
    throw err;
  }
  return { drain: (chunks, tee) => drainInto(chunks, handles, options, tee) };
}

async function drainInto(chunks: AsyncIterable<Uint8Array>, handles: FileHandle[], options: PumpOptions, tee?: Writable): Promise<Digests | undefined> {
  const digest = options.hash.length > 0 ? new Digester(options.hash) : undefined;
  try {
    let position = 0;
    for await (const chunk of chunks) {
      throwIfAborted(options.signal);
      // Hashed in worker threads (digest.ts) while the writes below run; awaited only for back-pressure.
      const hashing = digest?.update(chunk);
      const skip = options.sparse === true && isZero(chunk);
      const writes: Array<Promise<unknown>> = skip ? [] : handles.map((h) => h.write(chunk, 0, chunk.length, position));
      if (tee && !tee.write(chunk)) writes.push(once(tee, 'drain'));
      if (hashing) writes.push(hashing);
      await Promise.all(writes);
      position += chunk.length;
    }
    if (options.sparse) await Promise.all(handles.map((h) => h.truncate(position)));
    tee?.end();
    return await digest?.digest();
  } finally {
    await Promise.all([...handles.map((h) => h.close()), digest?.destroy()]);
  }
}

const ZERO = Buffer.alloc(4 * 1024 * 1024);

function isZero(chunk: Uint8Array): boolean {
  for (let off = 0; off < chunk.length; off += ZERO.length) {
    const part = chunk.subarray(off, Math.min(chunk.length, off + ZERO.length));
    if (!ZERO.subarray(0, part.length).equals(part)) return false;
  }
  return true;
}

/** Reads a file in large chunks (a fresh buffer each, since the consumer may still hold the last). */
export async function* readChunks(path: string, chunkSize = 4 * 1024 * 1024): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkSize);
      const { bytesRead } = await fh.read(buf, 0, chunkSize, null);
      if (bytesRead === 0) return;
      yield bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}
