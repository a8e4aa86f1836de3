/**
 * DIB process groups that outlive a daemon killed with SIGKILL (or OOM): the
 * dib-cmd runs detached in its own process group, so nothing kills it when
 * the daemon dies abruptly (an `exit` handler does not run on SIGKILL), and
 * the orphan would keep writing files of a build whose record is dead.
 *
 * While a build runs, its group is recorded in
 * `<images-dir>/.kiln-dib-groups/<image>-<build_id>.json` (pgid and the
 * DIB_IMAGE_FILENAME it was given); the record goes when the run ends. At
 * start, before any build of its own, the daemon kills every recorded group
 * that still has a member carrying that DIB_IMAGE_FILENAME in its environment
 * (so a reused pid is never killed) and drops the records. The build's
 * ZooKeeper record and local files are then the cleanup pass's business
 * (stale `building` with a free lock → deleted with its files), as upstream.
 *
 * The directory is hidden and a directory, so the local-build scan (files
 * matching `<image>-<hex>.<ext>`) never mistakes a record for an image.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const GROUPS_DIR = '.kiln-dib-groups';

export interface DibGroupRecord {
  pgid: number;
  /** DIB_IMAGE_FILENAME of the run: `<images-dir>/<image>-<build_id>` */
  base: string;
}

export interface KilledDibGroup extends DibGroupRecord {
  /** pids of the group found alive (and killed) */
  pids: number[];
}

export function dibGroupsDir(imagesDir: string): string {
  return join(imagesDir, GROUPS_DIR);
}

/**
 * Records a running group; synchronous so the record exists before the
 * daemon can do anything else (it may be killed the next moment).
 */
export function recordDibGroup(imagesDir: string, image: string, buildId: string, record: DibGroupRecord): string {
  const dir = dibGroupsDir(imagesDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${image}-${buildId}.json`);
  writeFileSync(file, JSON.stringify(record));
  return file;
}

export async function forgetDibGroup(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** Kills the groups of runs a previous daemon left behind; returns what was still alive. */
export async function killOrphanedDibGroups(imagesDir: string, waitMs = 5000): Promise<KilledDibGroup[]> {
  const dir = dibGroupsDir(imagesDir);
  const files = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const killed: KilledDibGroup[] = [];
  for (const name of files.filter((f) => f.endsWith('.json'))) {
    const file = join(dir, name);
    const record = parseRecord(await readFile(file, 'utf8').catch(() => ''));
    if (record) {
      const pids = await liveGroupMembers(record);
      if (pids.length > 0) {
        killGroup(record.pgid);
        await waitGone(record, waitMs);
        killed.push({ ...record, pids });
      }
    }
    await forgetDibGroup(file);
  }
  return killed;
}

/**
 * Live (non-zombie) processes of the group, if any member carries the run's
 * DIB_IMAGE_FILENAME: the proof that the group is still that run and not a
 * stranger that got the number since.
 */
export async function liveGroupMembers(record: DibGroupRecord): Promise<number[]> {
  const members: number[] = [];
  let ours = false;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    const parsed = stat === null ? null : parseStat(stat);
    if (!parsed || parsed.pgrp !== record.pgid || parsed.state === 'Z') continue;
    members.push(Number(entry));
    if (!ours) {
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
      ours = environ.split('\0').includes(`DIB_IMAGE_FILENAME=${record.base}`);
    }
  }
  return ours ? members : [];
}

/** `pid (comm) state ppid pgrp …`; comm may hold spaces and parentheses, so split after the last `)`. */
function parseStat(text: string): { state: string; pgrp: number } | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  return fields[0] && Number.isInteger(pgrp) ? { state: fields[0], pgrp } : null;
}

function parseRecord(text: string): DibGroupRecord | null {
  try {
    const value = JSON.parse(text) as Partial<DibGroupRecord>;
    return Number.isInteger(value.pgid) && (value.pgid as number) > 1 && typeof value.base === 'string' ? (value as DibGroupRecord) : null;
  } catch {
    return null;
  }
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function waitGone(record: DibGroupRecord, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const left = await groupAlive(record.pgid);
    if (!left) return;
    killGroup(record.pgid); // a member forked after the first kill
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function groupAlive(pgid: number): Promise<boolean> {
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    const parsed = stat === null ? null : parseStat(stat);
    if (parsed && parsed.pgrp === pgid && parsed.state !== 'Z') return true;
  }
  return false;
}
