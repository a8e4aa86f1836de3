/**
 * Writes the partition table straight into the image file: no loop device, no
 * kpartx (device-mapper is missing on our machines). MBR (with DIB's
 * extended/logical chain) natively, as DIB's mbr.py does; GPT with sfdisk on
 * the file. sfdisk sizes a file's sectors at 512 bytes and has no option to
 * change that, so a GPT on 4 KiB sectors is written through a loop device
 * with that sector size (no partition scanning, detached at once).
 */
import { randomInt } from 'node:crypto';
import type { PartitionTable } from './disk-plan.js';
import { writeMbr } from './mbr-table.js';
import { runTool, type ToolContext } from '../run-tool.js';
import type { ResourceTracker } from '../../resources/types.js';
import { withLoopDevice } from './loop-device.js';

export function sfdiskScript(table: PartitionTable): string {
  const lines = ['label: gpt', 'unit: sectors'];
  for (const p of table.partitions) lines.push([`start=${p.startSector}`, `size=${p.sizeSectors}`, `type=${p.type}`, `name="${p.name}"`].join(', '));
  return `${lines.join('\n')}\n`;
}

export async function writePartitionTable(ctx: ToolContext & { resources: ResourceTracker }, image: string, table: PartitionTable, sectorSize: number): Promise<void> {
  if (table.label === 'mbr') {
    const diskId = randomInt(0, 2 ** 32); // random 32-bit disk id, as DIB
    ctx.log(`MBR: ${table.partitions.length} partition(s)${table.extended ? `, extended #${table.extended.index} with logical partitions` : ''}, disk id ${diskId.toString(16).padStart(8, '0')}`);
    await writeMbr(image, table, diskId);
    return;
  }
  const sfdisk = (target: string) => runTool(ctx, 'sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', target], { input: sfdiskScript(table) });
  if (sectorSize === 512) await sfdisk(image);
  else await withLoopDevice(ctx, image, { sectorSize }, sfdisk);
}
