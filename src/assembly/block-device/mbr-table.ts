/**
 * The MBR and the EBR chain as bytes, written straight into the image file
 * (as DIB's mbr.py does; no sfdisk, no loop device, no kpartx):
 *  - sector 0: disk id at 440, up to four entries at 446, 0x55AA;
 *  - one EBR per logical partition at its `ebrSector`: entry 0 = the
 *    partition relative to the EBR, entry 1 = the next EBR relative to the
 *    start of the extended partition (type 0x05), 0x55AA.
 * CHS fields use DIB's fixed geometry (254 heads, 63 sectors/track, capped at
 * cylinder 1023), so they stay valid when the disk grows. DIB packs the
 * cylinder's high bits as `cylinder // 4`, which corrupts the sector field
 * below cylinder 1023 — clearly a bug (nothing reads CHS today, but fdisk
 * warns); Kiln packs bits 8-9 of the cylinder into bits 6-7 as the format says.
 */
import { writeAt, type ByteWrite } from '../image-bytes.js';
import type { PartitionPlan } from './disk-plan.js';
import { MBR_EXTENDED_CHS, MBR_EXTENDED_LBA, MBR_SECTOR, type MbrExtended } from './mbr-layout.js';

const HEADS = 254;
const SECTORS_PER_TRACK = 63;
const MAX_CYLINDER = 1023;

export interface MbrTable {
  partitions: readonly PartitionPlan[];
  extended?: MbrExtended;
}

/** Every sector to write (MBR first, then the EBRs), with its byte offset. */
export function encodeMbr(table: MbrTable, diskId: number): Array<ByteWrite & { bytes: Buffer }> {
  const mbr = emptyRecord();
  mbr.writeUInt32LE(diskId >>> 0, 440);
  const primaries = table.partitions.filter((p) => p.ebrSector === undefined);
  for (const p of primaries) writeEntry(mbr, p.index - 1, p.bootable, p.type, p.startSector, p.sizeSectors);
  const ext = table.extended;
  if (ext) writeEntry(mbr, ext.index - 1, false, MBR_EXTENDED_LBA, ext.startSector, ext.sizeSectors);
  const writes: Array<ByteWrite & { bytes: Buffer }> = [{ offset: 0, bytes: mbr }];
  const logicals = table.partitions.filter((p) => p.ebrSector !== undefined);
  logicals.forEach((p, i) => {
    const ebrSector = p.ebrSector as number;
    const ebr = emptyRecord();
    writeEntry(ebr, 0, p.bootable, p.type, p.startSector - ebrSector, p.sizeSectors, ebrSector);
    const next = logicals[i + 1];
    if (next && ext) {
      const nextEbr = next.ebrSector as number;
      const nextEnd = next.startSector + next.sizeSectors;
      // DIB: the link's length runs from the next EBR to the next partition's aligned end
      const linkEnd = Math.ceil(nextEnd / ext.alignSectors) * ext.alignSectors;
      writeEntry(ebr, 1, false, MBR_EXTENDED_CHS, nextEbr - ext.startSector, linkEnd - nextEbr, ext.startSector);
    }
    writes.push({ offset: ebrSector * MBR_SECTOR, bytes: ebr });
  });
  return writes;
}

export async function writeMbr(image: string, table: MbrTable, diskId: number): Promise<void> {
  await writeAt(image, encodeMbr(table, diskId));
}

function emptyRecord(): Buffer {
  const b = Buffer.alloc(MBR_SECTOR);
  b.writeUInt16LE(0xaa55, 510);
  return b;
}

/**
 * One 16-byte entry. `relativeTo` is the block LBA fields are relative to
 * (EBRs); CHS is always absolute.
 */
function writeEntry(record: Buffer, slot: number, boot: boolean, type: string, lbaStart: number, lbaLength: number, relativeTo = 0): void {
  const at = 446 + 16 * slot;
  const absStart = lbaStart + relativeTo;
  record[at] = boot ? 0x80 : 0x00;
  chs(absStart).copy(record, at + 1);
  record[at + 4] = parseInt(type, 16);
  chs(absStart + lbaLength).copy(record, at + 5); // DIB encodes the end as start + length
  record.writeUInt32LE(lbaStart, at + 8);
  record.writeUInt32LE(lbaLength, at + 12);
}

function chs(lba: number): Buffer {
  let cylinder = Math.floor(lba / (HEADS * SECTORS_PER_TRACK));
  let head = Math.floor(lba / SECTORS_PER_TRACK) % HEADS;
  let sector = (lba % SECTORS_PER_TRACK) + 1;
  if (lba > HEADS * SECTORS_PER_TRACK * MAX_CYLINDER) [cylinder, head, sector] = [MAX_CYLINDER, HEADS, SECTORS_PER_TRACK];
  return Buffer.from([head, sector | ((cylinder >> 8) << 6), cylinder & 0xff]);
}
