/**
 * Writes the partition table straight into the image file with sfdisk: no loop
 * device, no kpartx (device-mapper is missing on our machines).
 */
import type { DiskPlan } from './disk-plan.js';
import { runTool, type ToolContext } from '../run-tool.js';

export function sfdiskScript(table: NonNullable<DiskPlan['table']>): string {
  const lines = [`label: ${table.label === 'mbr' ? 'dos' : 'gpt'}`, 'unit: sectors'];
  for (const p of table.partitions) {
    const fields = [`start=${p.startSector}`, `size=${p.sizeSectors}`, `type=${p.type}`];
    if (table.label === 'gpt') fields.push(`name="${p.name}"`);
    if (p.bootable && table.label === 'mbr') fields.push('bootable');
    lines.push(fields.join(', '));
  }
  return `${lines.join('\n')}\n`;
}

export async function writePartitionTable(ctx: ToolContext, image: string, table: NonNullable<DiskPlan['table']>): Promise<void> {
  await runTool(ctx, 'sfdisk', ['--quiet', '--no-reread', '--no-tell-kernel', image], { input: sfdiskScript(table) });
}
