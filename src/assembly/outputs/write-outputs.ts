/**
 * Writes every requested format at the same time from the one assembled image
 * (or the tree, for tar-like formats). Each output is first written as
 * `<file>.partial` (tracked as a resource before it exists; nodepool's file
 * discovery ignores it), checksum files likewise, and everything is renamed
 * into place only when all formats succeeded. The first failure cancels the
 * other writers; partial files are removed.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ResourceTracker, TrackedResource } from '../../resources/types.js';
import type { Digests } from './digest.js';
import { extensionOf, producerOf } from './formats.js';
import type { OutputJob, OutputDigests } from './output-job.js';
import { writeRaw } from './raw-output.js';
import { writeQemuFormat } from './qemu-output.js';
import { writeTarFormats } from './tar-outputs.js';
import { writeSquashfs } from './squashfs-output.js';
import { checksumLine } from './checksum-files.js';
import type { ChecksumKind } from './checksum-kinds.js';
import { spillPathFor } from './qcow2/qcow2-writer.js';

export interface WriteOutputsRequest {
  image: string;
  rootDir: string;
  outputBase: string;
  formats: readonly string[];
  /** DIB_CHECKSUM's kinds (checksum-kinds.ts); written for the formats DIB checksums */
  checksums: readonly ChecksumKind[];
  env: Record<string, string>;
  qemuImgOptions?: string;
  resources: ResourceTracker;
  log: (line: string) => void;
  /** per-format timing hook (start/end of each producer) */
  step?: (name: string, event: 'start' | 'end') => void;
  signal?: AbortSignal;
}

export interface WrittenOutputs {
  outputs: Record<string, string>;
  checksums: Record<string, Digests>;
}

export async function writeOutputs(req: WriteOutputsRequest): Promise<WrittenOutputs> {
  const formats = [...new Set(req.formats)];
  formats.forEach(producerOf); // unknown formats fail before anything is written
  await mkdir(dirname(req.outputBase), { recursive: true });
  const finals = Object.fromEntries(formats.map((f) => [f, `${req.outputBase}.${extensionOf(f)}`]));
  const partials = Object.fromEntries(formats.map((f) => [f, `${finals[f]}.partial`]));
  const tracked: TrackedResource[] = [];
  const track = async (path: string): Promise<void> => {
    const r: TrackedResource = { kind: 'file', path };
    await req.resources.track(r);
    tracked.push(r);
  };
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort();
  req.signal?.addEventListener('abort', onOuterAbort);
  try {
    for (const f of formats) await track(partials[f] as string);
    // Kiln's qcow2 writer spills its compressed clusters next to the partial file.
    if (formats.includes('qcow2')) await track(spillPathFor(partials.qcow2 as string));
    const job: OutputJob = {
      image: req.image,
      rootDir: req.rootDir,
      targets: partials,
      checksums: req.checksums,
      env: req.env,
      ...(req.qemuImgOptions ? { qemuImgOptions: req.qemuImgOptions } : {}),
      log: req.log,
      signal: abort.signal,
    };
    const digests = await runAllOrCancel(producers(job, formats, req.step), abort);
    const checksums: Record<string, Digests> = {};
    for (const f of formats) {
      const d = digests[f];
      if (!d) continue;
      checksums[f] = d;
      for (const kind of req.checksums) {
        const hex = d[kind];
        if (hex === undefined) continue;
        const partial = `${finals[f]}.${kind}.partial`;
        await track(partial);
        await writeFile(partial, checksumLine(hex, finals[f] as string));
      }
    }
    // Data files first, then their checksums: a checksum file never points at a missing image.
    for (const f of formats) await rename(partials[f] as string, finals[f] as string);
    for (const [f, d] of Object.entries(checksums)) {
      for (const kind of req.checksums) if (d[kind] !== undefined) await rename(`${finals[f]}.${kind}.partial`, `${finals[f]}.${kind}`);
    }
    for (const r of tracked.splice(0)) await req.resources.release(r);
    return { outputs: finals, checksums };
  } finally {
    req.signal?.removeEventListener('abort', onOuterAbort);
    for (const r of tracked) {
      if (r.kind !== 'file') continue;
      await rm(r.path, { force: true });
      await req.resources.release(r);
    }
  }
}

/** One producer per tool run; the tar family shares one tar process. */
function producers(job: OutputJob, formats: readonly string[], step?: WriteOutputsRequest['step']): Array<() => Promise<OutputDigests>> {
  const timed = (name: string, fn: () => Promise<OutputDigests>) => async (): Promise<OutputDigests> => {
    step?.(name, 'start');
    const out = await fn();
    step?.(name, 'end');
    return out;
  };
  const tarFormats = formats.filter((f) => producerOf(f) === 'tar');
  const list: Array<() => Promise<OutputDigests>> = [];
  if (tarFormats.length) list.push(timed(`output:${tarFormats.join('+')}`, () => writeTarFormats(job, tarFormats)));
  for (const f of formats) {
    const p = producerOf(f);
    if (p === 'raw') list.push(timed('output:raw', () => writeRaw(job)));
    if (p === 'qemu') list.push(timed(`output:${f}`, () => writeQemuFormat(job, f)));
    if (p === 'squashfs') list.push(timed('output:squashfs', () => writeSquashfs(job)));
  }
  return list;
}

async function runAllOrCancel(tasks: Array<() => Promise<OutputDigests>>, abort: AbortController): Promise<OutputDigests> {
  // Remember the first failure: the ones after it are mostly "cancelled" echoes of it.
  let first: { err: unknown } | undefined;
  const results = await Promise.allSettled(
    tasks.map((t) =>
      t().catch((err: unknown) => {
        first ??= { err };
        abort.abort();
        throw err;
      }),
    ),
  );
  if (first) throw first.err;
  return Object.assign({}, ...results.map((r) => (r as PromiseFulfilledResult<OutputDigests>).value));
}
