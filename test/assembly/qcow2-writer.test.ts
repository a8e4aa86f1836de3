/**
 * Kiln's qcow2 writer against QEMU's own tools: `qemu-img check` clean,
 * `qemu-img compare` identical to the raw image, the requested compat level,
 * checksums equal to node:crypto over the file; a multi-GiB sparse image; a
 * cancel that leaves no file; the qemu-img fallback for unsupported options.
 */
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeQcow2 } from '../../src/assembly/outputs/qcow2/qcow2-writer.js';
import { nativeQcow2Settings, DEFAULT_LEVEL } from '../../src/assembly/outputs/qcow2/qcow2-settings.js';
import { compressedDescriptor } from '../../src/assembly/outputs/qcow2/qcow2-tables.js';
import { writeOutputs } from '../../src/assembly/outputs/write-outputs.js';
import { isKilnError } from '../../src/errors/kiln-error.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { MemoryTracker } from './support/memory-tracker.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

interface QemuInfo {
  'virtual-size': number;
  'format-specific': { data: { compat: string; 'refcount-bits': number } };
}

async function info(path: string): Promise<QemuInfo> {
  return JSON.parse((await execa('qemu-img', ['info', '--output=json', '-f', 'qcow2', path])).stdout) as QemuInfo;
}

async function expectValidCopy(raw: string, qcow2: string): Promise<void> {
  const check = await execa('qemu-img', ['check', '--output=json', '-f', 'qcow2', qcow2]);
  const report = JSON.parse(check.stdout) as Record<string, unknown>;
  expect(report).toMatchObject({ 'check-errors': 0 });
  expect(report.leaks ?? 0).toBe(0);
  expect(report.corruptions ?? 0).toBe(0);
  await execa('qemu-img', ['compare', '-f', 'raw', '-F', 'qcow2', raw, qcow2]);
}

/** Writes `parts` (offset → bytes) into a sparse file of `size` bytes. */
async function sparseImage(path: string, size: number, parts: Array<[number, Uint8Array]>): Promise<void> {
  await writeFile(path, '');
  await truncate(path, size);
  const fh = await open(path, 'r+');
  try {
    for (const [offset, bytes] of parts) await fh.write(bytes, 0, bytes.length, offset);
  } finally {
    await fh.close();
  }
}

function digestsOf(bytes: Buffer): { md5: string; sha256: string } {
  return { md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

describe('qcow2 writer: settings', () => {
  it('honours compat=0.10 / 1.1 and the level, and leaves everything else to qemu-img', () => {
    expect(nativeQcow2Settings({}, 'compat=0.10')).toEqual({ version: 2, level: DEFAULT_LEVEL });
    expect(nativeQcow2Settings({ KILN_QCOW2_LEVEL: '6' }, 'compat=1.1,cluster_size=65536')).toEqual({ version: 3, level: 6 });
    expect(nativeQcow2Settings({}, undefined)).toEqual({ version: 3, level: DEFAULT_LEVEL });
    expect(nativeQcow2Settings({}, 'compat=0.10,preallocation=metadata')).toBeUndefined();
    expect(nativeQcow2Settings({}, 'cluster_size=2M')).toBeUndefined();
    expect(nativeQcow2Settings({ KILN_QCOW2_COMPRESSION: 'zstd' }, 'compat=1.1')).toBeUndefined();
    expect(nativeQcow2Settings({ KILN_QCOW2_COMPRESSION: 'none' }, '')).toBeUndefined();
    expect(nativeQcow2Settings({ KILN_QCOW2_WRITER: 'qemu-img' }, 'compat=0.10')).toBeUndefined();
  });

  it('rejects a bad level or writer name with a typed error', () => {
    const envs: Array<Record<string, string>> = [{ KILN_QCOW2_LEVEL: '0' }, { KILN_QCOW2_LEVEL: 'fast' }, { KILN_QCOW2_WRITER: 'qemu' }];
    for (const env of envs) {
      let caught: unknown;
      try {
        nativeQcow2Settings(env, '');
      } catch (err) {
        caught = err;
      }
      expect(isKilnError(caught, 'KILN_ASSEMBLY_BAD_OPTION')).toBe(true);
    }
  });

  it('encodes a compressed cluster descriptor with the extra sector count at bit 54', () => {
    // 100 bytes starting 10 bytes before a sector end span two sectors: one extra sector.
    expect(compressedDescriptor(512 * 7 - 10, 100)).toBe((1n << 62n) | (1n << 54n) | BigInt(512 * 7 - 10));
    expect(compressedDescriptor(1024, 512)).toBe((1n << 62n) | 1024n);
  });
});

describe('qcow2 writer: a small image with data, holes, zero clusters and incompressible data', () => {
  let scratch: Scratch;
  let raw: string;

  beforeAll(async () => {
    scratch = await makeScratch('qcow2');
    raw = join(scratch.work, 'disk.raw');
    const text = Buffer.from('kiln qcow2 writer test line\n'.repeat(200_000)).subarray(0, 5 * MiB);
    await sparseImage(raw, 64 * MiB + 3 * 512, [
      [0, Buffer.from('boot sector')],
      [1 * MiB + 123, randomBytes(3 * MiB)], // incompressible: stored whole, unaligned start
      [10 * MiB, text], // compressible
      [20 * MiB, Buffer.alloc(2 * MiB)], // written zeros: must stay unallocated
      [64 * MiB + 1000, Buffer.from('in the partial last cluster')],
    ]);
  });

  afterAll(async () => {
    await scratch?.remove();
  });

  it.each([
    [2, '0.10'],
    [3, '1.1'],
  ] as const)('v%s: clean, identical, compat %s, checksums as written', async (version, compat) => {
    const out = join(scratch.out, `v${version}.qcow2`);
    const digests = await writeQcow2({ image: raw, target: out, settings: { version, level: 1 }, hash: ['md5', 'sha256'], workers: 2 });
    await expectValidCopy(raw, out);
    const meta = await info(out);
    expect(meta['virtual-size']).toBe(64 * MiB + 3 * 512);
    expect(meta['format-specific'].data.compat).toBe(compat);
    expect(meta['format-specific'].data['refcount-bits']).toBe(16);
    expect(digests).toEqual(digestsOf(await readFile(out)));
    // zeros and holes cost nothing; the text compresses; the random MiBs are stored whole
    const size = (await stat(out)).size;
    expect(size).toBeGreaterThan(3 * MiB);
    expect(size).toBeLessThan(4 * MiB);
    expect((await readdir(scratch.out)).filter((n) => n.endsWith('.spill'))).toEqual([]);
  });

  it('stays consistent when QEMU writes into it (refcounts and COPIED flags right)', async () => {
    const out = join(scratch.out, 'cow.qcow2');
    await writeQcow2({ image: raw, target: out, settings: { version: 2, level: 3 }, hash: [], workers: 1 });
    await execa('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0xab 0 3M', '-c', 'write -P 0xcd 10M 512k', out]);
    const check = await execa('qemu-img', ['check', '--output=json', '-f', 'qcow2', out]);
    expect(JSON.parse(check.stdout)).toMatchObject({ 'check-errors': 0 });
    const read = await execa('qemu-io', ['-f', 'qcow2', '-c', 'read -P 0xcd 10M 512k', '-c', 'read -P 0 20M 2M', out]);
    expect(read.stdout).not.toMatch(/Pattern verification failed/);
  });
});

describe('qcow2 writer: a multi-GiB sparse image', () => {
  let scratch: Scratch;

  beforeAll(async () => {
    scratch = await makeScratch('qcow2-big');
  });

  afterAll(async () => {
    await scratch?.remove();
  });

  it('round-trips data spread over several L2 tables and past 4 GiB', async () => {
    const raw = join(scratch.work, 'big.raw');
    const marker = (s: string): Buffer => Buffer.from(`${s}\n`.repeat(20_000));
    await sparseImage(raw, 5 * GiB, [
      [0, marker('start')],
      [512 * MiB - 1000, marker('across the first L2 boundary')],
      [4 * GiB + 12345, randomBytes(MiB)],
      [5 * GiB - 65536, marker('last cluster').subarray(0, 65536)],
    ]);
    const out = join(scratch.out, 'big.qcow2');
    const digests = await writeQcow2({ image: raw, target: out, settings: { version: 2, level: 1 }, hash: ['md5', 'sha256'] });
    await expectValidCopy(raw, out);
    expect((await info(out))['virtual-size']).toBe(5 * GiB);
    expect(digests).toEqual(digestsOf(await readFile(out)));
  }, 240_000);
});

describe('qcow2 writer inside writeOutputs', () => {
  let scratch: Scratch;
  let raw: string;

  beforeAll(async () => {
    scratch = await makeScratch('qcow2-out');
    raw = join(scratch.work, 'disk.raw');
    await sparseImage(raw, 96 * MiB, [[0, randomBytes(80 * MiB)]]);
  });

  afterAll(async () => {
    await scratch?.remove();
  });

  it('a cancel while compressing leaves no file and no tracked resource', async () => {
    const out = join(scratch.out, 'cancel');
    const tracker = new MemoryTracker();
    const abort = new AbortController();
    const lines: string[] = [];
    const log = (line: string): void => {
      lines.push(line);
      if (line.startsWith('kiln qcow2 writer')) setTimeout(() => abort.abort(), 50);
    };
    let caught: unknown;
    try {
      await writeOutputs({ image: raw, rootDir: scratch.root, outputBase: join(out, 'img'), formats: ['qcow2'], checksums: ['md5', 'sha256'], env: {}, qemuImgOptions: 'compat=0.10', resources: tracker, log, signal: abort.signal });
    } catch (err) {
      caught = err;
    }
    expect(lines.some((l) => l.startsWith('kiln qcow2 writer'))).toBe(true);
    expect(isKilnError(caught, 'KILN_ASSEMBLY_CANCELLED')).toBe(true);
    expect(await readdir(out)).toEqual([]);
    expect([...tracker.held.values()]).toEqual([]);
    expect(tracker.history.some((r) => r.kind === 'file' && r.path.endsWith('.qcow2.partial.spill'))).toBe(true);
  });

  it('cancels at any moment, compressing or not, without taking the process down', async () => {
    // Terminating a worker inside deflateRawSync aborts Node ("close before init"); the pool stops its
    // workers between batches instead. Many cancels at spread-out moments would abort this jest worker.
    const target = join(scratch.out, 'cancels.qcow2');
    let cancelled = 0;
    for (let i = 0; i < 24; i++) {
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), 2 + (i % 8) * 6);
      await writeQcow2({ image: raw, target, settings: { version: 3, level: 6 }, hash: [], signal: abort.signal })
        .then(() => undefined, (err: unknown) => { if (isKilnError(err, 'KILN_ASSEMBLY_CANCELLED')) cancelled++; else throw err; })
        .finally(() => clearTimeout(timer));
    }
    expect(cancelled).toBeGreaterThan(0);
  });

  it('falls back to qemu-img for an option it does not implement', async () => {
    const out = join(scratch.out, 'fallback');
    const tracker = new MemoryTracker();
    const lines: string[] = [];
    const result = await writeOutputs({ image: raw, rootDir: scratch.root, outputBase: join(out, 'img'), formats: ['qcow2'], checksums: ['md5', 'sha256'], env: {}, qemuImgOptions: 'compat=0.10,lazy_refcounts=off', resources: tracker, log: (l) => lines.push(l) });
    expect(lines.some((l) => l.startsWith('$ qemu-img convert'))).toBe(true);
    expect(lines.some((l) => l.startsWith('kiln qcow2 writer'))).toBe(false);
    expect(result.checksums.qcow2).toEqual(digestsOf(await readFile(result.outputs.qcow2 as string)));
    expect(await readdir(out)).toEqual(['img.qcow2', 'img.qcow2.md5', 'img.qcow2.sha256']);
  });
});
