/**
 * From the flattened block-device nodes to a concrete disk plan: partition
 * offsets in sectors, and each filesystem with its byte range inside the image,
 * label, UUID, mkfs options, mount point and fstab entry. Pure (UUIDs are
 * injected) so layouts are unit-tested without touching a disk.
 */
import { AssemblyError } from '../assembly-error.js';
import type { ConfigNode } from './config-nodes.js';
import { parseDibSize, partitionBytes } from './sizes.js';
import { gptTypeGuid } from './partition-types.js';
import { planMbrPartitions, type MbrExtended } from './mbr-layout.js';
import { planLvm, type LvmPlan } from './lvm-plan.js';

export const SECTOR = 512;
export type SectorSize = 512 | 4096;
const MIB = 1024 * 1024;
const GPT_ENTRIES_BYTES = 128 * 128;

export interface PartitionPlan {
  name: string;
  /** 1-based partition number */
  index: number;
  startSector: number;
  sizeSectors: number;
  /** MBR: hex byte ("83"); GPT: type GUID */
  type: string;
  bootable: boolean;
  /** MBR logical partitions: the sector of their EBR */
  ebrSector?: number;
}

export interface FstabEntry {
  options: string;
  dumpFreq: number;
  fsckPassno: number;
}

export interface FilesystemPlan {
  name: string;
  type: string;
  label: string;
  uuid: string;
  opts: string[];
  /** byte offset and size inside the image file */
  offset: number;
  size: number;
  /** the partition it lives in, if any */
  partition?: PartitionPlan;
  /** the logical volume it lives in, if any: offset and size are set when LVM has placed it */
  lv?: string;
  mountPoint?: string;
  fstab?: FstabEntry;
}

export interface DiskPlan {
  sizeBytes: number;
  /** logical sector size: partition sectors count in it (local_loop block_size / DIB_BLOCK_SIZE) */
  sectorSize: SectorSize;
  table?: PartitionTable;
  /** the lvm plugin's volumes (their filesystems are placed once LVM has allocated them) */
  lvm?: LvmPlan;
  filesystems: FilesystemPlan[];
}

export interface PartitionTable {
  label: 'mbr' | 'gpt';
  partitions: PartitionPlan[];
  /** MBR with logical partitions: the extended partition holding them */
  extended?: MbrExtended;
}

export interface RootParams {
  /** FS_TYPE (default ext4) */
  fsType: string;
  /** --root-label / ROOT_LABEL (default cloudimg-rootfs, img-rootfs for xfs) */
  label: string;
  /** MKFS_OPTS for mkfs_root (ext4 default `-i 4096 -J size=64`) */
  opts: string;
}

/** The root filesystem's type before sizing (the size depends on it: ext4 adds a journal). */
export function rootFsType(nodes: readonly ConfigNode[], root: RootParams): string {
  const mkfs = nodes.find((n) => n.plugin === 'mkfs' && n.name === 'mkfs_root');
  return typeof mkfs?.options.type === 'string' ? mkfs.options.type : root.fsType;
}

/** `blockSize`: DIB_BLOCK_SIZE, which overrides the local_loop's block_size. */
export function planDisk(nodes: readonly ConfigNode[], sizeBytes: number, root: RootParams, newUuid: () => string, blockSize?: string): DiskPlan {
  const loops = nodes.filter((n) => n.plugin === 'local_loop');
  if (loops.length !== 1) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `exactly one local_loop image is supported, found ${loops.length}`);
  const loop = loops[0] as ConfigNode;
  const sectorSize = parseSectorSize(blockSize ?? loop.options.block_size, blockSize !== undefined ? 'DIB_BLOCK_SIZE' : 'local_loop block_size');
  if (loop.options.size !== undefined) sizeBytes = parseDibSize(loop.options.size as string, 'local_loop size');
  sizeBytes = Math.ceil(sizeBytes / sectorSize) * sectorSize;
  const parts = nodes.filter((n) => n.plugin === 'partitioning');
  if (parts.length > 1) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', 'only one partitioning node is supported');
  const table = parts[0] ? planPartitions(parts[0], sizeBytes, sectorSize) : undefined;
  const lvm = planLvm(nodes, table?.partitions ?? []);
  const filesystems = nodes
    .filter((n) => n.plugin === 'mkfs')
    .map((mkfs) => planFilesystem(mkfs, nodes, loop.name, sizeBytes, sectorSize, table?.partitions ?? [], lvm, root, newUuid));
  checkLabels(filesystems);
  return { sizeBytes, sectorSize, ...(table ? { table } : {}), ...(lvm ? { lvm } : {}), filesystems };
}

function parseSectorSize(value: unknown, what: string): SectorSize {
  if (value === undefined || value === '') return 512;
  const n = Number(value);
  if (n !== 512 && n !== 4096) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what} must be 512 or 4096, got ${String(value)}`);
  return n;
}

function planPartitions(node: ConfigNode, sizeBytes: number, sectorSize: SectorSize): PartitionTable {
  const label = node.options.label;
  if (label !== 'mbr' && label !== 'gpt') throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `partitioning: label must be mbr or gpt, got ${String(label)}`);
  const raw = (node.options.partitions as Array<Record<string, unknown>> | undefined) ?? [];
  if (label === 'mbr') {
    // DIB's MBR writer assumes 512-byte sectors; on a 4 KiB-sector disk its table would be wrong.
    if (sectorSize !== 512) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `an MBR partition table needs 512-byte sectors (block_size ${sectorSize}): use label gpt`);
    const align = node.options.align !== undefined ? parseDibSize(node.options.align as string, 'partitioning align') : MIB;
    return { label, ...planMbrPartitions(raw, sizeBytes, align) };
  }
  return { label, partitions: planGptPartitions(raw, sizeBytes, sectorSize) };
}

function planGptPartitions(raw: ReadonlyArray<Record<string, unknown>>, sizeBytes: number, sectorSize: SectorSize): PartitionPlan[] {
  const align = MIB;
  // GPT keeps its backup at the end: one header sector and the 16 KiB entry array.
  const end = sizeBytes - (1 + GPT_ENTRIES_BYTES / sectorSize) * sectorSize;
  let cursor = align;
  return raw.map((p, i): PartitionPlan => {
    const what = `partition ${String(p.name)}`;
    const avail = end - cursor;
    let size = partitionBytes(p.size as string | number | undefined, avail, `${what} size`);
    size = size >= align ? Math.floor(size / align) * align : Math.floor(size / sectorSize) * sectorSize;
    if (size <= 0 || cursor + size > end) {
      throw new AssemblyError('KILN_ASSEMBLY_TOO_SMALL', `The requested size of the image is smaller than the block device configuration (${what} does not fit in ${sizeBytes} bytes)`);
    }
    const flags = Array.isArray(p.flags) ? p.flags.map(String) : [];
    const plan: PartitionPlan = {
      name: String(p.name),
      index: i + 1,
      startSector: cursor / sectorSize,
      sizeSectors: size / sectorSize,
      type: gptTypeGuid(p.type, what),
      bootable: flags.includes('boot'),
    };
    cursor = Math.ceil((cursor + size) / align) * align;
    return plan;
  });
}

function planFilesystem(
  mkfs: ConfigNode,
  nodes: readonly ConfigNode[],
  loopName: string,
  sizeBytes: number,
  sectorSize: SectorSize,
  partitions: PartitionPlan[],
  lvm: LvmPlan | undefined,
  root: RootParams,
  newUuid: () => string,
): FilesystemPlan {
  const isRoot = mkfs.name === 'mkfs_root';
  const o = mkfs.options;
  const type = typeof o.type === 'string' ? o.type : isRoot ? root.fsType : undefined;
  if (!type) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `mkfs ${mkfs.name}: no type`);
  if (!/^(ext[234]|xfs|vfat|swap)$/.test(type)) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `mkfs ${mkfs.name}: filesystem type ${type} is not supported (ext2/3/4, xfs, vfat, swap)`);
  let label = typeof o.label === 'string' ? o.label : isRoot ? root.label : mkfs.name;
  if (type === 'vfat') label = label.toUpperCase();
  const opts = typeof o.opts === 'string' ? o.opts : isRoot ? root.opts : '';
  const partition = partitions.find((p) => p.name === mkfs.base);
  const lv = lvm?.lvs.find((l) => l.name === mkfs.base);
  if (!partition && !lv && mkfs.base !== loopName) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `mkfs ${mkfs.name}: base ${String(mkfs.base)} is neither the image, a partition nor a logical volume`);
  const mount = nodes.find((n) => n.plugin === 'mount' && n.base === mkfs.name);
  const fstab = mount && nodes.find((n) => n.plugin === 'fstab' && n.base === mount.name);
  const mountPoint = mount && typeof mount.options.mount_point === 'string' ? mount.options.mount_point : undefined;
  if (mount && !mountPoint) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `mount ${mount.name}: no mount_point`);
  if (mount && type === 'swap') throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `mkfs ${mkfs.name}: a swap area cannot be mounted (remove its mount node)`);
  return {
    name: mkfs.name,
    type,
    label,
    uuid: typeof o.uuid === 'string' ? o.uuid : newUuid(),
    opts: opts.split(/\s+/).filter(Boolean),
    offset: partition ? partition.startSector * sectorSize : 0,
    size: partition ? partition.sizeSectors * sectorSize : lv ? 0 : sizeBytes,
    ...(partition ? { partition } : {}),
    ...(lv ? { lv: lv.name } : {}),
    ...(mountPoint ? { mountPoint } : {}),
    ...(fstab
      ? {
          fstab: {
            options: typeof fstab.options.options === 'string' ? fstab.options.options : 'defaults',
            dumpFreq: Number(fstab.options['dump-freq'] ?? 0),
            fsckPassno: Number(fstab.options['fsck-passno'] ?? 2),
          },
        }
      : {}),
  };
}

const LABEL_MAX: Record<string, number> = { ext2: 16, ext3: 16, ext4: 16, xfs: 12, vfat: 11, swap: 16 };

function checkLabels(filesystems: FilesystemPlan[]): void {
  const seen = new Set<string>();
  const mounts = new Set<string>();
  for (const fs of filesystems) {
    if (seen.has(fs.label)) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `duplicate filesystem label ${fs.label}`);
    seen.add(fs.label);
    const max = LABEL_MAX[fs.type] ?? 16;
    if (fs.label.length > max) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `mkfs ${fs.name}: label "${fs.label}" is longer than ${max} characters (${fs.type})`);
    if (fs.mountPoint && mounts.has(fs.mountPoint)) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `duplicate mount point ${fs.mountPoint}`);
    if (fs.mountPoint) mounts.add(fs.mountPoint);
  }
}
