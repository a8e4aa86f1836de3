import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { BuildContext } from '../build/build-context.js';
import { ParentMessage } from '../worker/protocol.js';

/**
 * Runs one dib-run-parts invocation (host or chroot) and turns its output into
 * protocol messages: stdout/stderr lines become Log messages, the "start" /
 * "end" lines dib-run-parts writes on fd 3 become ScriptStart/ScriptEnd. The
 * process gets its own process group, recorded before anything else happens,
 * so a cancel or a later cleanup can kill every script and chroot process.
 * Returns the exit code and the name of the failing script, if any.
 */
export async function runScriptsProcess(
  ctx: BuildContext,
  phase: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ exitCode: number; failedScript?: string }> {
  const child = execa(command, args, {
    env: { ...env, KILN_EVENTS_FD: '3' },
    extendEnv: false,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    buffer: false,
    reject: false,
  });
  const pid = child.pid;

  let failedScript: string | undefined;
  const lines = (stream: Readable | null, each: (line: string) => void): Promise<void> =>
    stream
      ? new Promise((resolve) => {
          const rl = createInterface({ input: stream, crlfDelay: Infinity });
          rl.on('line', each);
          rl.on('close', resolve);
        })
      : Promise.resolve();
  const events = (line: string): void => {
    const [kind, script, code, seconds] = line.split(' ');
    if (kind === 'start' && script) ctx.reporter.send({ type: ParentMessage.ScriptStart, phase, script });
    if (kind === 'end' && script) {
      const exitCode = Number(code);
      if (exitCode !== 0) failedScript = script;
      ctx.reporter.send({ type: ParentMessage.ScriptEnd, phase, script, exitCode, seconds: Number(seconds) });
    }
  };
  const fd3 = (child.stdio as unknown as (Readable | null)[])[3] ?? null;
  // readers first (synchronously): a fast script could close its pipes while we write the state file
  const reading = Promise.all([
    lines(child.stdout, (line) => ctx.reporter.log(line, 'stdout', phase)),
    lines(child.stderr, (line) => ctx.reporter.log(line, 'stderr', phase)),
    lines(fd3, events),
  ]);
  if (pid !== undefined) await ctx.resources.track({ kind: 'process', pid });
  const [result] = await Promise.all([child, reading]);
  if (pid !== undefined) {
    // a script may have left background processes in its group: they must not outlive the phase
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is already empty
    }
    await ctx.resources.release({ kind: 'process', pid });
  }
  const exitCode = result.exitCode ?? (result.signal ? 128 : 1);
  return failedScript === undefined ? { exitCode } : { exitCode, failedScript };
}
