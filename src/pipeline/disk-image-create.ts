import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, USAGE } from './options/parse-args.js';
import { planBuild } from './parent/plan-build.js';
import { runWorker, type WorkerEnd } from './parent/run-worker.js';
import { BuildOutput } from './parent/build-output.js';
import { StateFileTracker } from '../resources/state-file-tracker.js';
import { cleanupStateFile, sweepOrphanBuilds } from '../resources/cleanup-build.js';
import { isKilnError } from '../errors/kiln-error.js';
import { PipelineError } from './pipeline-error.js';
import { kilnRoot } from './paths.js';
import type { Timing } from './worker/protocol.js';

export interface DiskImageCreateIo {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** abort = cancel the build (the CLI wires SIGINT/SIGTERM to it) */
  signal?: AbortSignal;
}

export interface DiskImageCreateResult {
  exitCode: number;
  /** the error code of a failed build (KILN_…) */
  errorCode?: string;
  outputs: Record<string, string>;
  treeDir?: string;
  timings: Timing[];
}

/**
 * `kiln disk-image-create`: parse, plan (element errors before anything
 * exists), clean up orphans of killed builds, run the build in a worker,
 * then undo whatever the build left recorded in its state file, whichever
 * way it ended.
 */
export async function diskImageCreate(argv: string[], io: DiskImageCreateIo = {}): Promise<DiskImageCreateResult> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = io.stderr ?? ((t: string) => void process.stderr.write(t));
  const fail = (err: unknown, exitCode: number): DiskImageCreateResult => {
    stderr(`kiln disk-image-create: ${err instanceof Error ? err.message : String(err)}\n`);
    return { exitCode, ...(isKilnError(err) ? { errorCode: err.code } : {}), outputs: {}, timings: [] };
  };

  let options;
  try {
    options = parseArgs(argv, env);
  } catch (err) {
    return fail(err, 2);
  }
  if (options.help) return (stdout(USAGE), { exitCode: 0, outputs: {}, timings: [] });
  if (options.version) return (stdout(`kiln ${kilnVersion()}\n`), { exitCode: 0, outputs: {}, timings: [] });
  if (process.getuid?.() !== 0) {
    return fail(new PipelineError('KILN_PIPELINE_PRECONDITION', 'disk-image-create must run as root (mount, chroot, debootstrap)'), 1);
  }

  const output = new BuildOutput({ ...(options.logfile ? { logfile: options.logfile } : {}), env }, stdout);
  try {
    for (const cleaned of await sweepOrphanBuilds(env, (l) => output.say(l))) {
      output.say(`cleaned up orphaned build ${cleaned.buildId}: ${cleaned.report.undone.length} resources undone, ${cleaned.report.failed.length} left`);
    }
    const tracker = await StateFileTracker.create({ env });
    let plan;
    try {
      plan = planBuild(options, env, tracker.path, io.cwd);
    } catch (err) {
      await cleanupStateFile(tracker.path);
      return fail(err, isKilnError(err) && err.permanent ? 2 : 1);
    }
    output.say(`Building ${plan.outputBase} from: ${plan.elements.map((e) => e.name).join(' ')}`);
    const timeoutSeconds = options.timeoutSeconds ?? (env.KILN_BUILD_TIMEOUT ? Number(env.KILN_BUILD_TIMEOUT) : undefined);
    const end = await runWorker(plan, tracker, {
      onMessage: (m) => output.handle(m),
      ...(io.signal ? { signal: io.signal } : {}),
      ...(timeoutSeconds ? { timeoutMs: timeoutSeconds * 1000 } : {}),
    });
    const cleanup = await cleanupStateFile(tracker.path, (l) => output.say(l));
    if (cleanup && cleanup.report.failed.length > 0) {
      output.say(`WARNING: could not undo: ${cleanup.report.failed.map((f) => f.reason).join('; ')} (run 'kiln cleanup' later)`);
    }
    return summarise(end, output);
  } finally {
    await output.close();
  }
}

function summarise(end: WorkerEnd, output: BuildOutput): DiskImageCreateResult {
  switch (end.kind) {
    case 'result': {
      const m = end.message;
      output.say(profile(m.timings));
      for (const [fmt, path] of Object.entries(m.outputs)) output.say(`Image file ${path} (${fmt}) created`);
      if (m.treeDir) output.say(`Image tree kept at ${m.treeDir}`);
      output.say(`Build completed successfully in ${output.elapsed()}`);
      return { exitCode: 0, outputs: m.outputs, ...(m.treeDir ? { treeDir: m.treeDir } : {}), timings: m.timings };
    }
    case 'error':
      output.say(`Build failed (${end.message.code}): ${end.message.message}`);
      return { exitCode: 1, errorCode: end.message.code, outputs: {}, timings: [] };
    case 'cancelled': {
      const code = end.reason === 'timeout' ? 'KILN_PIPELINE_TIMEOUT' : 'KILN_PIPELINE_CANCELLED';
      output.say(`Build ${end.reason === 'timeout' ? 'timed out' : 'cancelled'}; everything it created was undone`);
      return { exitCode: end.reason === 'timeout' ? 124 : 130, errorCode: code, outputs: {}, timings: [] };
    }
    case 'crashed':
      output.say(`Build worker died (exit ${String(end.exitCode)}, signal ${String(end.signal)}): ${end.stderr.trim()}`);
      return { exitCode: 1, errorCode: 'KILN_PIPELINE_WORKER_CRASHED', outputs: {}, timings: [] };
  }
}

function profile(timings: Timing[]): string {
  const rows = timings.filter((t) => t.kind !== 'script' || t.seconds >= 0.5);
  return ['===== PROFILING =====', ...rows.map((t) => `${t.kind.padEnd(6)} ${t.name.padEnd(48)} ${t.seconds.toFixed(1).padStart(7)} s`), '====================='].join('\n');
}

function kilnVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(kilnRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
