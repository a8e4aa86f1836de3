/**
 * What a running build is doing, for `kiln image-status`: its elapsed time
 * (from the record's state_time) and, when its log is on this host, the last
 * phase line the pipeline wrote (`[mm:ss] phase install.d (chroot) started`).
 */
import { open } from 'node:fs/promises';
import { buildLogPath } from '../builder/build-log.js';
import type { ImageBuild } from '../model/types.js';

export interface BuildProgress {
  image: string;
  buildId: string;
  builder: string | null;
  /** seconds since the build started */
  elapsed: number;
  /** e.g. "phase install.d (chroot) started", null when the log is not here */
  phase: string | null;
}

const PHASE_LINE = /\] ((?:phase|assembly:|Boot test)[^\n]*)$/;
const TAIL_BYTES = 64 * 1024;

export async function buildProgress(build: ImageBuild, buildLogDir: string, now = Date.now() / 1000): Promise<BuildProgress> {
  return {
    image: build.image,
    buildId: build.id,
    builder: build.builder,
    elapsed: Math.max(0, now - (build.stateTime ?? now)),
    phase: await lastPhaseLine(buildLogPath(buildLogDir, build.image, build.id)),
  };
}

async function lastPhaseLine(path: string): Promise<string | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n').reverse();
    for (const line of lines) {
      if (line.startsWith('Boot test:')) return line;
      const match = PHASE_LINE.exec(line);
      if (match) return match[1] ?? null;
    }
    return null;
  } finally {
    await handle.close();
  }
}
