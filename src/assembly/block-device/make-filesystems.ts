/**
 * Makes every planned filesystem inside the image file, straight from the tree:
 * ext* with `mkfs.ext4 -d` at the partition offset (`-E offset=`), vfat with
 * `mkfs.vfat --offset` + mtools, both without any block device. xfs has no
 * offset or populate-from-directory mode, so it alone goes through a loop
 * device and a mount, each recorded in the ResourceTracker the moment it exists.
 * swap: mkswap on a scratch file, its header copied in (make-swap.ts).
 *
 * A filesystem holds the tree below its mount point minus the mount points
 * nested below it (the ESP at /boot/efi is not copied into the root fs): those
 * subtrees are moved aside while the parent is made, and always put back.
 */
import { mkdir, readdir, rename, rmdir, stat, chmod } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import type { FilesystemPlan } from './disk-plan.js';
import type { ToolContext } from '../run-tool.js';
import { runTool } from '../run-tool.js';
import { AssemblyError } from '../assembly-error.js';
import type { ResourceTracker } from '../../resources/types.js';
import { makeXfsViaLoop } from './make-xfs.js';
import { makeSwap } from './make-swap.js';

export interface MakeFsContext extends ToolContext {
  resources: ResourceTracker;
  workDir: string;
  /** the disk's logical sector size (512, or 4096 for block_size: 4096) */
  sectorSize: number;
}

export async function makeFilesystems(ctx: MakeFsContext, image: string, rootDir: string, filesystems: readonly FilesystemPlan[]): Promise<void> {
  for (const fs of filesystems) {
    const source = fs.mountPoint ? join(rootDir, fs.mountPoint) : undefined;
    if (source) await mkdir(source, { recursive: true });
    const nested = fs.mountPoint ? nestedMountPoints(fs.mountPoint, filesystems) : [];
    await withHidden(rootDir, nested, () => makeFilesystem(ctx, image, fs, source));
  }
}

async function makeFilesystem(ctx: MakeFsContext, image: string, fs: FilesystemPlan, source: string | undefined): Promise<void> {
  if (fs.type.startsWith('ext')) return makeExt(ctx, image, fs, source);
  if (fs.type === 'vfat') return makeVfat(ctx, image, fs, source);
  if (fs.type === 'xfs') return makeXfsViaLoop(ctx, image, fs, source);
  if (fs.type === 'swap') return makeSwap(ctx, image, fs);
  throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `filesystem type ${fs.type}`);
}

async function makeExt(ctx: MakeFsContext, image: string, fs: FilesystemPlan, source: string | undefined): Promise<void> {
  const args = ['-t', fs.type, '-F', '-q', '-L', fs.label, '-U', fs.uuid, ...fs.opts, '-E', `offset=${fs.offset}`];
  if (source) args.push('-d', source);
  await runTool(ctx, 'mke2fs', [...args, image, `${Math.floor(fs.size / 1024)}k`]);
}

async function makeVfat(ctx: MakeFsContext, image: string, fs: FilesystemPlan, source: string | undefined): Promise<void> {
  if (fs.offset % ctx.sectorSize !== 0) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `vfat ${fs.name}: offset not sector aligned`);
  // --offset counts logical sectors; -S as mkfs.vfat would read it from a 4 KiB-sector device
  const sector = ctx.sectorSize === 512 ? [] : ['-S', String(ctx.sectorSize)];
  await runTool(ctx, 'mkfs.vfat', [...sector, `--offset=${fs.offset / ctx.sectorSize}`, '-n', fs.label, ...fs.opts, image, String(Math.floor(fs.size / 1024))]);
  const entries = source ? await readdir(source) : [];
  if (!source || entries.length === 0) return;
  // -s recursive, -p keep attributes, -m keep mtimes, -Q stop at the first error.
  await runTool(ctx, 'mcopy', ['-s', '-p', '-m', '-Q', '-i', `${image}@@${fs.offset}`, ...entries.map((e) => join(source, e)), '::/'], {
    env: { MTOOLS_SKIP_CHECK: '1' },
  });
}

/** Mount points strictly below `mountPoint`, shallowest first. */
export function nestedMountPoints(mountPoint: string, filesystems: readonly FilesystemPlan[]): string[] {
  const prefix = mountPoint === '/' ? '/' : `${mountPoint}/`;
  return filesystems
    .map((f) => f.mountPoint)
    .filter((m): m is string => !!m && m !== mountPoint && m.startsWith(prefix))
    .sort((a, b) => a.length - b.length)
    .filter((m, i, all) => !all.slice(0, i).some((outer) => m.startsWith(`${outer}/`)));
}

/**
 * Runs `fn` with each nested mount point's content moved next to the tree and
 * an empty directory (same mode) in its place, then restores it whatever happens.
 */
async function withHidden<T>(rootDir: string, mountPoints: readonly string[], fn: () => Promise<T>): Promise<T> {
  const moved: Array<{ path: string; aside: string; mode: number }> = [];
  try {
    for (const mp of mountPoints) {
      const path = join(rootDir, mp);
      const aside = join(dirname(rootDir), `.kiln-aside-${process.pid}-${basename(rootDir)}-${moved.length}`);
      await mkdir(path, { recursive: true });
      const { mode } = await stat(path);
      await rename(path, aside);
      moved.push({ path, aside, mode });
      await mkdir(path);
      await chmod(path, mode & 0o7777);
    }
    return await fn();
  } finally {
    for (const m of moved.reverse()) {
      await rmdir(m.path);
      await rename(m.aside, m.path);
    }
  }
}
