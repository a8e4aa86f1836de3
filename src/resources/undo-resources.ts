import { readFile, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { execa } from 'execa';
import type { TrackedResource } from './types.js';
import { killBuildProcesses } from './kill-processes.js';
import { mountsBelow } from './mount-table.js';

export interface UndoReport {
  undone: TrackedResource[];
  failed: { resource: TrackedResource; reason: string }[];
}

/**
 * Undoes a build's resources, idempotently: anything already gone counts as
 * undone. Order: processes (so nothing keeps mounts busy), mounts deepest
 * first (lazily if still busy; this includes mounts that scripts made below a
 * tracked directory without telling us), loop devices, files, temp dirs
 * (never deleted while something is still mounted below them).
 */
export async function undoResources(resources: readonly TrackedResource[], log: (line: string) => void = () => {}): Promise<UndoReport> {
  const report: UndoReport = { undone: [], failed: [] };
  const list = [...resources].reverse();
  const dirs = list.flatMap((r) => (r.kind === 'tempdir' || r.kind === 'mount' ? [r.path] : []));

  const groups = list.flatMap((r) => (r.kind === 'process' ? [r.pid] : []));
  await killBuildProcesses(groups, dirs);
  report.undone.push(...list.filter((r) => r.kind === 'process'));

  for (const r of list) {
    if (r.kind !== 'mount' && r.kind !== 'tempdir') continue;
    const reason = await unmountTree(r.path, log);
    if (reason !== undefined && r.kind === 'mount') report.failed.push({ resource: r, reason });
    else if (r.kind === 'mount') report.undone.push(r);
  }
  for (const r of list) {
    if (r.kind !== 'loop') continue;
    const reason = await detachLoop(r.device, r.backingFile, log);
    if (reason === undefined) report.undone.push(r);
    else report.failed.push({ resource: r, reason });
  }
  for (const r of list) {
    if (r.kind !== 'file') continue;
    await rm(r.path, { force: true }).then(
      () => report.undone.push(r),
      (err: unknown) => report.failed.push({ resource: r, reason: String(err) }),
    );
  }
  for (const r of list) {
    if (r.kind !== 'tempdir') continue;
    const reason = await removeDir(r.path, log);
    if (reason === undefined) report.undone.push(r);
    else report.failed.push({ resource: r, reason });
  }
  return report;
}

/** Unmounts everything at or below `dir`; returns a reason if something stays mounted. */
async function unmountTree(dir: string, log: (line: string) => void): Promise<string | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const mounts = await mountsBelow(dir);
    if (mounts.length === 0) return undefined;
    for (const mp of mounts) {
      const plain = await execa('umount', [mp], { reject: false });
      if (plain.exitCode !== 0) {
        // busy: detach it from the tree now, the kernel finishes when the last user goes
        log(`umount ${mp} failed (${plain.stderr.trim()}); unmounting lazily`);
        await execa('umount', ['-l', mp], { reject: false });
      }
    }
  }
  const left = await mountsBelow(dir);
  return left.length === 0 ? undefined : `still mounted: ${left.join(', ')}`;
}

async function detachLoop(device: string, backingFile: string, log: (line: string) => void): Promise<string | undefined> {
  // only detach if the device still serves OUR file: loop numbers are reused machine-wide
  const current = await readFile(`/sys/block/${basename(device)}/loop/backing_file`, 'utf8').catch(() => '');
  const backing = current.trim().replace(/ \(deleted\)$/, '');
  if (backing === '' || backing !== backingFile) return undefined;
  const result = await execa('losetup', ['-d', device], { reject: false });
  if (result.exitCode === 0) return undefined;
  log(`losetup -d ${device}: ${result.stderr.trim()}`);
  return result.stderr.trim() || `losetup -d exited ${result.exitCode}`;
}

async function removeDir(dir: string, log: (line: string) => void): Promise<string | undefined> {
  const mounts = await mountsBelow(dir);
  if (mounts.length > 0) return `refusing to delete ${dir}: still mounted below it: ${mounts.join(', ')}`;
  // --one-file-system: a mount that appeared since the check is never descended into
  const result = await execa('rm', ['-rf', '--one-file-system', dir], { reject: false });
  if (result.exitCode === 0) return undefined;
  log(`rm -rf ${dir}: ${result.stderr.trim()}`);
  return result.stderr.trim() || `rm exited ${result.exitCode}`;
}
