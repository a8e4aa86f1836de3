import { readdir, readlink } from 'node:fs/promises';
import { processStartTime } from './process-identity.js';

/**
 * Kills process groups recorded by the build, then every process whose root
 * or cwd lies inside one of `dirs` (chroot daemons a script left behind, even
 * ones that called setsid and so escaped the group). Waits briefly until they
 * are gone so the following unmounts are not busy.
 */
export async function killBuildProcesses(groups: number[], dirs: string[]): Promise<number[]> {
  const killed: number[] = [];
  for (const pgid of groups) {
    if (pgid === process.pid || pgid <= 1) continue;
    if (signal(-pgid) || signal(pgid)) killed.push(pgid);
  }
  for (const pid of await processesInside(dirs)) {
    if (signal(pid)) killed.push(pid);
  }
  await waitGone(killed, 5000);
  return killed;
}

/** pids (not ours) whose root or cwd link points at or below one of `dirs`. */
export async function processesInside(dirs: string[]): Promise<number[]> {
  const roots = dirs.map((d) => d.replace(/\/+$/, '')).filter((d) => d.length > 1);
  if (roots.length === 0) return [];
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    for (const link of ['root', 'cwd']) {
      const target = await readlink(`/proc/${pid}/${link}`).catch(() => undefined);
      if (target && roots.some((r) => target === r || target.startsWith(`${r}/`))) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}

function signal(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // zombies count as gone: nothing of theirs keeps a mount busy
    const alive = pids.filter((pid) => processStartTime(Math.abs(pid)) !== undefined);
    if (alive.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
