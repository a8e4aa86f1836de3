/**
 * Runs the dib-cmd in its own process group (detached) with stdout and stderr
 * appended to the build log, and ends the log with `Exit code: N`. A timeout
 * or an abort kills the whole process group, so DIB's own children (chroot
 * scripts, qemu-img) die too: upstream kills only the direct child
 * (nodepool-compat.md 4.3 quirk) and leaks them. A timed-out build reports
 * rc 1, as upstream.
 */
import { execa } from 'execa';
import { closeSync, openSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import type { DibCommand } from './dib-command.js';

export interface DibRunResult {
  exitCode: number;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

export interface RunDibOptions {
  logPath: string;
  timeoutSeconds: number;
  signal?: AbortSignal;
  /** told the process group id once the command runs */
  onStart?: (pid: number) => void;
}

export async function runDib(command: DibCommand, options: RunDibOptions): Promise<DibRunResult> {
  const started = Date.now();
  await writeFile(options.logPath, ''); // upstream opens the log truncating
  let timedOut = false;
  let aborted = false;
  let pid: number | undefined;
  const killGroup = (): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is already gone
    }
  };
  const onAbort = (): void => {
    aborted = true;
    killGroup();
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    // Both streams straight into the log file through one O_APPEND descriptor
    // the child inherits: nothing passes through the daemon. (execa's
    // `{file}` target pipes through this process instead: a daemon killed
    // with SIGKILL would then lose the log's tail, and the DIB run would die
    // of SIGPIPE at its next write, or live on if silent.) execa's types take
    // a descriptor only as a literal number type, hence the cast.
    const logFd = openSync(options.logPath, 'a') as 3;
    let child: ReturnType<typeof spawnDib>;
    try {
      child = spawnDib(command, logFd);
    } finally {
      closeSync(logFd);
    }
    pid = child.pid;
    if (pid !== undefined) options.onStart?.(pid);
    // A daemon that dies abruptly must not leave a DIB run behind it.
    process.once('exit', killGroup);
    timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutSeconds * 1000);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const result = await child;
    // Kill stragglers that outlived the leader (a backgrounded element script).
    killGroup();
    let exitCode = typeof result.exitCode === 'number' ? result.exitCode : 1;
    if (timedOut || aborted || result.failed && result.exitCode === undefined) exitCode = exitCode === 0 ? 1 : exitCode;
    if (timedOut) exitCode = 1;
    const note = timedOut
      ? `Build timeout after ${options.timeoutSeconds} seconds\n`
      : aborted
        ? 'Build cancelled\n'
        : result.exitCode === undefined && result.failed
          ? `${result.shortMessage}\n`
          : '';
    await appendFile(options.logPath, `${note}Exit code: ${exitCode}\n`);
    return { exitCode, timedOut, aborted, durationMs: Date.now() - started };
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    process.removeListener('exit', killGroup);
  }
}

function spawnDib(command: DibCommand, logFd: 3) {
  return execa(command.file, command.args, {
    env: command.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    stdout: logFd,
    stderr: logFd,
    reject: false,
  });
}
