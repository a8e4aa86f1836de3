import { readFileSync } from 'node:fs';

/**
 * A pid plus its kernel start time: pids are reused, so "owner alive" means the
 * same pid AND the same start time (field 22 of /proc/<pid>/stat).
 */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

/** The start time of a running process; undefined when gone or a zombie (dead, not yet reaped). */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may contain spaces and parentheses: split after the last ')'
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return undefined; // field 3: state
    return rest[19]; // field 22 overall = index 19 after pid, comm, state… (0-based from field 3)
  } catch {
    return undefined;
  }
}

export function identityOf(pid: number): ProcessIdentity {
  return { pid, startTime: processStartTime(pid) ?? '' };
}

export function isAlive(identity: ProcessIdentity): boolean {
  const now = processStartTime(identity.pid);
  return now !== undefined && (identity.startTime === '' || now === identity.startTime);
}

/** Whether any process (even a zombie) has this pid: signal 0 checks without signalling. */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
