/**
 * MBR partition layout exactly as DIB computes it (level1/mbr.py +
 * partitioning.py), pure:
 *  - partitions flagged `primary` come first and take MBR slots 1-4;
 *  - the first partition without `primary` opens ONE extended partition
 *    (type 0x0F, LBA) from there to the end of the disk, and it and every
 *    later partition becomes a logical partition (numbers 5, 6, …), each with
 *    its EBR at an aligned block and its data one alignment unit later;
 *    a primary after a logical is an error, as in DIB;
 *  - sizes: `N%` of DIB's "free" space (disk − (next free block + one
 *    alignment unit)), else an absolute size; a partition's length is not
 *    rounded, the next one starts at the next alignment boundary.
 */
import { AssemblyError } from '../assembly-error.js';
import { partitionBytes } from './sizes.js';
import { mbrTypeByte } from './partition-types.js';
import type { PartitionPlan } from './disk-plan.js';

export const MBR_SECTOR = 512;
/** DIB's "extended LBA" type for the container in the MBR, and the chain link type in EBRs. */
export const MBR_EXTENDED_LBA = '0f';
export const MBR_EXTENDED_CHS = '05';

export interface MbrExtended {
  /** MBR slot (1-4) holding the container entry */
  index: number;
  startSector: number;
  sizeSectors: number;
  /** the partitioning's alignment in sectors (EBR chain links end on it) */
  alignSectors: number;
}

export interface MbrLayout {
  partitions: PartitionPlan[];
  extended?: MbrExtended;
}

export function planMbrPartitions(raw: ReadonlyArray<Record<string, unknown>>, sizeBytes: number, alignBytes: number): MbrLayout {
  if (alignBytes % MBR_SECTOR !== 0 || alignBytes <= 0) {
    throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `partitioning align must be a positive multiple of ${MBR_SECTOR} bytes, got ${alignBytes}`);
  }
  const alignBlocks = alignBytes / MBR_SECTOR;
  const diskBlocks = Math.floor(sizeBytes / MBR_SECTOR);
  const align = (block: number): number => Math.ceil(block / alignBlocks) * alignBlocks;
  let nextFree = align(1);
  let slot = 0; // DIB's partition_number
  let extended: MbrExtended | undefined;
  const partitions: PartitionPlan[] = [];

  for (const p of raw) {
    const name = String(p.name);
    const what = `partition ${name}`;
    const flags = Array.isArray(p.flags) ? p.flags.map(String) : [];
    for (const f of flags) if (f !== 'boot' && f !== 'primary') throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `Unknown flag [${f}] in partitioning for [${name}]`);
    const primary = flags.includes('primary');
    const free = sizeBytes - (nextFree + alignBlocks) * MBR_SECTOR;
    const bytes = partitionBytes(p.size as string | number | undefined, free, `${what} size`);
    const lengthBlocks = Math.floor(bytes / MBR_SECTOR);
    const base = { name, type: mbrTypeByte(p.type, what), bootable: flags.includes('boot') };

    if (primary) {
      if (extended) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: All primary partitions must be given first`);
      if (slot >= 4) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: an MBR holds at most 4 primary partitions`);
      const start = align(nextFree);
      partitions.push({ ...base, index: ++slot, startSector: start, sizeSectors: lengthBlocks });
      nextFree = align(start + lengthBlocks);
    } else {
      if (!extended) {
        if (slot >= 4) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: no MBR slot left for the extended partition (4 primaries given)`);
        extended = { index: ++slot, startSector: nextFree, sizeSectors: diskBlocks - nextFree, alignSectors: alignBlocks };
        slot = 4;
      }
      const ebr = nextFree;
      const start = align(ebr + 1);
      partitions.push({ ...base, index: ++slot, startSector: start, sizeSectors: lengthBlocks, ebrSector: ebr });
      nextFree = align(start + lengthBlocks);
    }
    const last = partitions[partitions.length - 1] as PartitionPlan;
    if (lengthBlocks <= 0 || last.startSector + lengthBlocks > diskBlocks) {
      throw new AssemblyError('KILN_ASSEMBLY_TOO_SMALL', `The requested size of the image is smaller than the block device configuration (${what} does not fit in ${sizeBytes} bytes)`);
    }
  }
  return { partitions, ...(extended ? { extended } : {}) };
}
