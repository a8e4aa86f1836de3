/**
 * Disk assembly: a finished root tree → the requested image files, without
 * device-mapper and (except for xfs) without loop devices or mounts.
 *
 *   block-device config → size → plan → /etc/fstab (+ GRUB files) into the tree
 *   → sparse image file → sfdisk → mkfs from the tree at each partition offset
 *   → GRUB boot code → every format written concurrently, checksummed in flight.
 */
import { randomUUID } from 'node:crypto';
import { rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { AssemblyRequest, AssemblyResult } from './types.js';
import type { TrackedResource } from '../resources/types.js';
import { blockDeviceConfig } from './block-device/default-config.js';
import { parseBlockDeviceConfig, type ConfigNode } from './block-device/config-nodes.js';
import { planDisk, rootFsType, type DiskPlan, type RootParams } from './block-device/disk-plan.js';
import { computeImageSize } from './block-device/image-size.js';
import { parseDibSize, parseImageSize, parsePercent } from './block-device/sizes.js';
import { writeFstab } from './block-device/fstab.js';
import { writePartitionTable } from './block-device/partition-table.js';
import { makeFilesystems } from './block-device/make-filesystems.js';
import { createLvm, placeFilesystems } from './block-device/lvm-create.js';
import { planGrub } from './bootloader/grub-plan.js';
import { prepareGrub, writeBiosBootCode } from './bootloader/install-grub.js';
import { needsDiskImage } from './outputs/formats.js';
import { writeOutputs } from './outputs/write-outputs.js';
import { runTool, throwIfAborted, type ToolContext } from './run-tool.js';
import { AssemblyError } from './assembly-error.js';

export async function assembleImage(request: AssemblyRequest): Promise<AssemblyResult> {
  const ctx: ToolContext = { log: request.log, ...(request.signal ? { signal: request.signal } : {}) };
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    request.step?.(name, 'start');
    const out = await fn();
    request.step?.(name, 'end');
    return out;
  };
  const plan = await step('block-device-plan', () => planFromRequest(request, ctx));
  await writeFstab(request.rootDir, plan.filesystems);
  if (!needsDiskImage(request.formats)) {
    // tar/tgz/docker/squashfs are made from the tree: no disk needed.
    return step('outputs', () => writeOutputs({ ...outputRequest(request), image: '' }));
  }
  const image = join(request.workDir, 'image0.raw');
  const imageResource: TrackedResource = { kind: 'file', path: image };
  await request.resources.track(imageResource);
  try {
    await step('block-device', () => buildDisk(request, ctx, plan, image));
    return await step('outputs', () => writeOutputs({ ...outputRequest(request), image }));
  } finally {
    await rm(image, { force: true });
    await request.resources.release(imageResource);
  }
}

/** Config → nodes → size → plan; all pure except reading the tree size. */
export async function planFromRequest(request: AssemblyRequest, ctx: ToolContext): Promise<DiskPlan> {
  const env = request.env;
  const { layout, yaml } = await blockDeviceConfig(request.elements, env);
  const nodes = parseBlockDeviceConfig(yaml);
  const root = rootParams(nodes, env);
  const treeKiB = await treeSizeKiB(ctx, request.rootDir);
  const fixed = request.imageSize ?? env.DIB_IMAGE_SIZE;
  const extra = request.imageExtraSize ?? (env.DIB_IMAGE_EXTRA_SIZE ? Number(env.DIB_IMAGE_EXTRA_SIZE) : undefined);
  const sizeBytes = computeImageSize({
    treeKiB,
    ...(fixed ? { fixedBytes: parseImageSize(fixed) } : {}),
    ...(extra !== undefined && Number.isFinite(extra) ? { extraGiB: extra } : {}),
    rootFsType: root.fsType,
    journalMiB: journalMiB(env),
    elements: request.elements,
    fixedPartitionsBytes: fixedPartitionsBytes(nodes),
    partitioned: nodes.some((n) => n.plugin === 'partitioning'),
  });
  const plan = planDisk(nodes, sizeBytes, root, randomUUID, env.DIB_BLOCK_SIZE || undefined);
  request.log(`block device: layout ${layout}, tree ${treeKiB} KiB, image ${plan.sizeBytes} bytes, ${plan.table?.label ?? 'no'} partition table, ${plan.sectorSize}-byte sectors`);
  return plan;
}

async function buildDisk(request: AssemblyRequest, ctx: ToolContext, plan: DiskPlan, image: string): Promise<void> {
  const grub = planGrub(plan, request.elements);
  const coreImg = grub ? await prepareGrub(ctx, request.rootDir, request.workDir, grub, request.env) : undefined;
  throwIfAborted(request.signal);
  await truncate(image, 0).catch(() => undefined);
  await runTool(ctx, 'truncate', ['-s', String(plan.sizeBytes), image]);
  if (plan.table) await writePartitionTable({ ...ctx, resources: request.resources }, image, plan.table, plan.sectorSize);
  // Deepest mount points first, root last: the order does not matter for correctness
  // (each filesystem has its own byte range), but small filesystems fail fast.
  const filesystems = plan.lvm ? placeFilesystems(plan.filesystems, await createLvm({ ...ctx, resources: request.resources }, image, { ...plan, lvm: plan.lvm })) : plan.filesystems;
  const ordered = [...filesystems].sort((a, b) => (b.mountPoint ?? '').length - (a.mountPoint ?? '').length);
  await makeFilesystems({ ...ctx, resources: request.resources, workDir: request.workDir, sectorSize: plan.sectorSize }, image, request.rootDir, ordered);
  if (grub?.bios && coreImg) await writeBiosBootCode(image, coreImg, grub.bios.coreSector);
}

function outputRequest(request: AssemblyRequest) {
  return {
    rootDir: request.rootDir,
    outputBase: request.outputBase,
    formats: request.formats,
    checksums: request.checksums,
    env: request.env,
    ...(request.qemuImgOptions ? { qemuImgOptions: request.qemuImgOptions } : {}),
    resources: request.resources,
    log: request.log,
    ...(request.step ? { step: request.step } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
  };
}

/** DIB's legacy globals merged into mkfs_root (§12.2). */
function rootParams(nodes: readonly ConfigNode[], env: Record<string, string>): RootParams {
  const fsType = rootFsType(nodes, { fsType: env.FS_TYPE || 'ext4', label: '', opts: '' });
  const label = env.ROOT_LABEL || env.DIB_ROOT_LABEL || (fsType === 'xfs' ? 'img-rootfs' : 'cloudimg-rootfs');
  const defaultOpts = /^ext[34]$/.test(fsType) ? `-i 4096 -J size=${journalMiB(env)}` : '';
  return { fsType, label, opts: env.MKFS_OPTS ?? defaultOpts };
}

function journalMiB(env: Record<string, string>): number {
  const n = Number(env.DIB_JOURNAL_SIZE ?? 64);
  if (!Number.isFinite(n) || n <= 0) throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', `DIB_JOURNAL_SIZE must be a positive number of MiB, got ${env.DIB_JOURNAL_SIZE}`);
  return n;
}

function fixedPartitionsBytes(nodes: readonly ConfigNode[]): number {
  let total = 0;
  for (const n of nodes) {
    for (const p of (n.options.partitions as Array<Record<string, unknown>> | undefined) ?? []) {
      const size = p.size as string | number | undefined;
      if (size !== undefined && parsePercent(size) === undefined) total += parseDibSize(size, `partition ${String(p.name)} size`);
    }
  }
  return total;
}

async function treeSizeKiB(ctx: ToolContext, rootDir: string): Promise<number> {
  const out = await runTool(ctx, 'du', ['-s', '-x', '-k', rootDir]);
  return Number(out.split(/\s+/)[0]);
}
