import { mkdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildContext } from '../build/build-context.js';
import { chrootEnvironment } from '../env/build-environment.js';
import { mountTracked, unmountTracked } from '../chroot/mount-tracked.js';
import { ParentMessage } from '../worker/protocol.js';
import { PipelineError } from '../pipeline-error.js';
import { PHASES, type PhaseSpec } from './phase.js';
import { runScriptsProcess } from './run-scripts-process.js';

/**
 * Runs one phase's scripts through dib-run-parts, on the host or in the
 * chroot (DIB's run_d / run_d_in_target). A phase without a hooks directory
 * is skipped, as in DIB, which also means a tree without a shell is never
 * chrooted into unless some element asks for a chroot phase.
 */
export async function runPhase(ctx: BuildContext, spec: PhaseSpec): Promise<void> {
  const hooksPhaseDir = join(ctx.dirs.hooksDir, `${spec.name}.d`);
  if (!(await isDir(hooksPhaseDir))) return;

  const started = performance.now();
  ctx.reporter.send({ type: ParentMessage.PhaseStart, phase: spec.name, placement: spec.placement });
  let outcome: { exitCode: number; failedScript?: string } = { exitCode: 1 };
  try {
    const env = spec.targetRoot ? { ...ctx.env, TARGET_ROOT: ctx.dirs.mountDir } : ctx.env;
    outcome =
      spec.placement === 'host'
        ? await runScriptsProcess(ctx, spec.name, 'bash', [join(ctx.dirs.libDir, 'dib-run-parts'), hooksPhaseDir], env)
        : await runInChroot(ctx, spec.name, ['/bin/bash', '/tmp/in_target.d/dib-run-parts', `/tmp/in_target.d/${spec.name}.d`], env);
  } finally {
    const seconds = (performance.now() - started) / 1000;
    ctx.reporter.send({ type: ParentMessage.PhaseEnd, phase: spec.name, seconds, ok: outcome.exitCode === 0 });
    // phases done out of all phases plus disk assembly
    ctx.reporter.send({ type: ParentMessage.Progress, done: PHASES.indexOf(spec) + 1, total: PHASES.length + 1, phase: spec.name });
  }
  if (outcome.exitCode !== 0) {
    const where = outcome.failedScript ? `${spec.name}.d/${outcome.failedScript}` : `${spec.name}.d`;
    throw new PipelineError('KILN_PIPELINE_SCRIPT_FAILED', `element script ${where} failed with exit code ${outcome.exitCode}`);
  }
}

/**
 * Runs argv chrooted into the tree. The hooks tree is bind-mounted read-only at /tmp/in_target.d for the
 * duration of one chroot call, then removed again (DIB does the same).
 */
export async function runInChroot(
  ctx: BuildContext,
  phase: string,
  argv: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number; failedScript?: string }> {
  const root = ctx.dirs.mountDir;
  const inTarget = join(root, 'tmp', 'in_target.d');
  await mkdir(inTarget, { recursive: true });
  await mountTracked(ctx.resources, inTarget, ['--bind', ctx.dirs.hooksDir]);
  try {
    await mountTracked(ctx.resources, inTarget, ['-o', 'remount,bind,ro']);
    return await runScriptsProcess(
      ctx,
      phase,
      'chroot',
      [root, ...argv],
      chrootEnvironment(env),
    );
  } finally {
    await unmountTracked(ctx.resources, inTarget);
    await rmdir(inTarget).catch(() => undefined);
  }
}

async function isDir(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isDirectory(), () => false);
}
