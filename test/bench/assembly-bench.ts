/**
 * Disk assembly benchmark (issue 4). Prints: assembly time, each format's
 * conversion alone, all formats together (target ≤ 1.2× the slowest alone),
 * checksum overhead, and boot-test time to login. Uses the cached Debian test
 * tree (test/assembly/support/debian-tree.ts; built on first use, ~2 min).
 * BENCH_FORMATS overrides the format list (default qcow2,raw,tar: the set of
 * the reference DIB run and of the pipeline benchmark); checksums as
 * `--checksum` writes them (DIB's rules: none for tar). BENCH_RUNS (default 3)
 * runs per figure, median printed.
 * Machines are shared: CPU-bound figures can be up to ~2× pessimistic (the
 * load average is printed). Also compares qcow2 written by Kiln's writer
 * (parallel zlib, hashed as written) with `qemu-img convert -c`.
 */
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleImage } from '../../src/assembly/assemble.js';
import { writeOutputs } from '../../src/assembly/outputs/write-outputs.js';
import { DEFAULT_LEVEL } from '../../src/assembly/outputs/qcow2/qcow2-settings.js';
import { ALL_CHECKSUMS, type ChecksumKind } from '../../src/assembly/outputs/checksum-kinds.js';
import { bootTest } from '../../src/assembly/boot-test.js';
import type { ResourceTracker } from '../../src/resources/types.js';
import { debianTree } from '../assembly/support/debian-tree.js';

const tracker: ResourceTracker = { track: async () => {}, release: async () => {} };
const env: Record<string, string> = { DIB_GRUB_TIMEOUT: '1', ...(process.env.KILN_QCOW2_LEVEL ? { KILN_QCOW2_LEVEL: process.env.KILN_QCOW2_LEVEL } : {}) };

async function main(): Promise<void> {
  const formats = (process.env.BENCH_FORMATS ?? 'qcow2,raw,tar').split(',');
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-asm-'));
  console.log(`load average at start: ${loadAverage()} (${availableParallelism()} CPUs)`);
  try {
    const root = join(dir, 'root');
    await mkdir(root);
    let t = now();
    await debianTree(root, (l) => console.log(l));
    line('unpack cached Debian tree', now() - t);

    await mkdir(join(dir, 'work0'));
    const steps: Record<string, number> = {};
    const started: Record<string, number> = {};
    t = now();
    const base = await assembleImage({
      rootDir: root, outputBase: join(dir, 'base'), formats: ['raw'], elements: ['debian-minimal', 'vm'], env,
      checksums: [], workDir: join(dir, 'work0'), resources: tracker, log: () => {},
      step: (name, event) => { if (event === 'start') started[name] = now(); else steps[name] = now() - (started[name] ?? 0); },
    });
    line('assembly (plan + sfdisk + mkfs.ext4 -d + GRUB), vm/MBR', steps['block-device'] ?? 0);
    const image = base.outputs.raw as string;

    if (formats.includes('qcow2')) await compareQcow2Writers(dir, image, root);

    // Median of RUNS runs each (the machine is shared); CPU = this process and its worker threads.
    const alone: Record<string, Run> = {};
    for (const f of formats) {
      alone[f] = await timeOutputs(dir, image, root, [f], ALL_CHECKSUMS);
      line(`  ${f} alone (with checksums)${cpuNote(alone[f])}`, alone[f].seconds);
    }
    const slowest = Math.max(...Object.values(alone).map((r) => r.seconds));
    const together = await timeOutputs(dir, image, root, formats, ALL_CHECKSUMS);
    line(`all together: ${formats.join(',')} (with checksums)${cpuNote(together)}`, together.seconds);
    verdict('ratio together / slowest alone, with checksums', together.seconds / slowest);

    const aloneBare: Record<string, Run> = {};
    for (const f of formats) {
      aloneBare[f] = await timeOutputs(dir, image, root, [f], []);
      line(`  ${f} alone (no checksums)${cpuNote(aloneBare[f])}`, aloneBare[f].seconds);
    }
    const slowestBare = Math.max(...Object.values(aloneBare).map((r) => r.seconds));
    const noSums = await timeOutputs(dir, image, root, formats, []);
    line(`all together: ${formats.join(',')} (no checksums)${cpuNote(noSums)}`, noSums.seconds);
    verdict('ratio together / slowest alone, conversions only', noSums.seconds / slowestBare);
    console.log(`  checksum overhead (together) = ${(together.seconds - noSums.seconds).toFixed(2)} s (${(((together.seconds - noSums.seconds) / noSums.seconds) * 100).toFixed(1)} %)`);
    const cores = availableParallelism();
    const bound = together.cpu / cores;
    console.log(`  together with checksums needs ${together.cpu.toFixed(1)} s of CPU: on ${cores} cores at least ${bound.toFixed(2)} s = ${(bound / slowest).toFixed(2)}× the slowest alone (CPU-bound; md5+sha256 of the raw image alone cost ${alone.raw ? alone.raw.cpu.toFixed(1) : '?'} s)`);

    const boot = await bootTest({ image, timeoutSeconds: 300, logFile: join(dir, 'serial.log') });
    line(`boot-test to "${boot.matched ?? boot.reason}" (TCG, raw, GRUB timeout 1 s)`, boot.seconds);
    if (!boot.ok) process.exitCode = 1;
    console.log(`load average at end: ${loadAverage()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** qcow2 (compat=0.10, with checksums) through Kiln's writer and through qemu-img, alone. */
async function compareQcow2Writers(dir: string, image: string, rootDir: string): Promise<void> {
  const { size, blocks } = await stat(image);
  console.log(`qcow2 writers on the ${mib(size)} raw image (${mib(blocks * 512)} allocated):`);
  const writers: Array<[string, Record<string, string>]> = [
    ['qemu-img convert -c (zlib level 6, 1 thread)', { KILN_QCOW2_WRITER: 'qemu-img' }],
    [`Kiln writer (zlib level ${env.KILN_QCOW2_LEVEL ?? DEFAULT_LEVEL}, ${availableParallelism()} workers)`, {}],
  ];
  for (const [label, extra] of writers) {
    const cpu = process.cpuUsage(); // worker threads count here; qemu-img is a child, not counted
    const { seconds, sizes } = await runOutputs(dir, image, rootDir, ['qcow2'], ALL_CHECKSUMS, { ...env, ...extra });
    const used = process.cpuUsage(cpu);
    const cpuNote = 'KILN_QCOW2_WRITER' in extra ? '' : `, cpu ${((used.user + used.system) / 1e6).toFixed(1)} s`;
    line(`  ${label}: ${mib(sizes.qcow2 ?? 0)}${cpuNote}, load ${loadAverage()}`, seconds);
  }
}

interface Run {
  seconds: number;
  /** CPU seconds of this process, its worker threads and the tools it ran (tar, pigz, qemu-img) */
  cpu: number;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function timeOutputs(dir: string, image: string, rootDir: string, formats: string[], checksums: readonly ChecksumKind[]): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = await cpuSeconds();
    const { seconds } = await runOutputs(dir, image, rootDir, formats, checksums, env);
    runs.push({ seconds, cpu: (await cpuSeconds()) - cpu });
  }
  runs.sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)] as Run;
}

async function runOutputs(dir: string, image: string, rootDir: string, formats: string[], checksums: readonly ChecksumKind[], envUsed: Record<string, string>): Promise<{ seconds: number; sizes: Record<string, number> }> {
  const out = await mkdtemp(join(dir, 'out-'));
  try {
    const t = now();
    const result = await writeOutputs({ image, rootDir, outputBase: join(out, 'img'), formats, checksums, env: envUsed, qemuImgOptions: formats.includes('qcow2') ? 'compat=0.10' : '', resources: tracker, log: () => {} });
    const seconds = now() - t;
    const sizes: Record<string, number> = {};
    for (const [f, path] of Object.entries(result.outputs)) sizes[f] = (await stat(path)).size;
    return { seconds, sizes };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** utime + stime of this process and of its waited-for children (/proc/self/stat fields 14-17). */
async function cpuSeconds(): Promise<number> {
  const stat = await readFile('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / CLOCK_TICKS;
}

const CLOCK_TICKS = Number((await execa('getconf', ['CLK_TCK'])).stdout);

function cpuNote(run: Run): string {
  return `, cpu ${run.cpu.toFixed(1)} s`;
}

function verdict(what: string, ratio: number): void {
  console.log(`  ${what} = ${ratio.toFixed(2)} (target ≤ 1.20) ${ratio <= 1.2 ? 'MET' : 'MISSED'}`);
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

function now(): number {
  return performance.now() / 1000;
}

function line(what: string, seconds: number): void {
  console.log(`${what.padEnd(64)} ${seconds.toFixed(2).padStart(8)} s`);
}

await main();
