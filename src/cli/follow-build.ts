/**
 * `image-build --follow`: after the request, wait for the build it causes,
 * stream that build's phase lines (or, with --verbose, its whole log) while
 * it runs, and return its final state. The log is read from this host's
 * build-log-dir; when the build runs on another builder only state changes
 * are shown.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { ImageStore } from '../model/image-store.js';
import type { ImageBuild } from '../model/types.js';
import { buildLogPath } from '../builder/build-log.js';
import type { Output } from './cli-context.js';

export interface FollowOptions {
  store: ImageStore;
  image: string;
  buildLogDir: string;
  /** only builds whose record appeared after this (epoch seconds) */
  since: number;
  io: Output;
  verbose: boolean;
  pollMs?: number;
  signal?: AbortSignal;
}

const PROGRESS_LINE = /\] (phase |progress |assembly:|Build |Image file)|^Boot test/;

export async function followBuild(options: FollowOptions): Promise<ImageBuild> {
  const poll = options.pollMs ?? 1000;
  options.io.err(`waiting for a builder to start ${options.image} …`);
  let build = await waitFor(options, poll, async () => {
    const builds = await options.store.getBuilds(options.image);
    return builds.find((b) => (b.ctimeMs ?? 0) / 1000 >= options.since - 1) ?? null;
  });
  options.io.err(`build ${options.image}-${build.id} on ${build.builder ?? 'a builder'}: ${build.state}`);
  const tail = new LogTail(buildLogPath(options.buildLogDir, options.image, build.id));
  try {
    while (build.state === 'building') {
      for (const line of await tail.readLines()) {
        if (options.verbose || PROGRESS_LINE.test(line)) options.io.out(line);
      }
      await sleep(poll, options.signal);
      build = (await options.store.getBuild(options.image, build.id)) ?? { ...build, state: 'failed' };
    }
    for (const line of await tail.readLines()) {
      if (options.verbose || PROGRESS_LINE.test(line) || line.startsWith('Exit code:')) options.io.out(line);
    }
  } finally {
    await tail.close();
  }
  return build;
}

async function waitFor<T>(options: FollowOptions, poll: number, probe: () => Promise<T | null>): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    await sleep(poll, options.signal);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });
}

/** Reads the lines appended to a file since the last call (the file may not exist yet). */
class LogTail {
  private handle: FileHandle | null = null;
  private offset = 0;
  private partial = '';

  constructor(private readonly path: string) {}

  async readLines(): Promise<string[]> {
    if (!this.handle) {
      this.handle = await open(this.path, 'r').catch(() => null);
      if (!this.handle) return [];
    }
    const chunks: Buffer[] = [];
    for (;;) {
      const buffer = Buffer.alloc(65536);
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      chunks.push(buffer.subarray(0, bytesRead));
    }
    const text = this.partial + Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  async close(): Promise<void> {
    await this.handle?.close();
  }
}
