/**
 * Writes the partition table straight into the image file: no loop device, no
 * kpartx (device-mapper is missing on our machines). MBR (with DIB's
 * extended/logical chain) natively, as DIB's mbr.py does; GPT with sfdisk.
 */
import { randomInt } from 'node:crypto';
import type { PartitionTable } from './disk-plan.js';
import { writeMbr } from './mbr-table.js';
import { runTool, type ToolContext } from '../run-tool.js';

export function sfdiskScript(table: PartitionTable): string {
  const lines = ['label: gpt', 'unit: sectors'];
  for (const p of table.partitions) lines.push([`start=${p.startSector}`, `size=${p.sizeSectors}`, `type=${p.type}`, `name="${p.name}"`].join(', '));
  return `${lines.join('\n')}\n`;
}

export async function writePartitionTable(ctx: ToolContext, image: string, table: PartitionTable): Promise<void> {
  if (table.label === 'mbr') {
    const diskId = randomInt(0, 2 ** 32); // random 32-bit disk id, as DIB
    ctx.log(`MBR: ${table.partitions.length} partition(s)${table.extended ? `, extended #${table.extended.index} with logical partitions` : ''}, disk id ${diskId.toString(16).padStart(8, '0')}`);
    await writeMbr(image, table, diskId);
    return;
  }
  await runTool(ctx, 'sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', image], { input: sfdiskScript(table) });
}
