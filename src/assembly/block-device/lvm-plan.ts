/**
 * The `lvm` block-device plugin, planned (pure): physical volumes on
 * partitions, volume groups over them, logical volumes with `size` (lvcreate
 * -L) or `extents` (-l), each with its extra options — checked with DIB's
 * messages (level1/lvm.py). Where each LV lands on disk is decided by LVM
 * itself when it is created (lvm-create.ts).
 */
import { AssemblyError } from '../assembly-error.js';
import type { ConfigNode } from './config-nodes.js';
import type { PartitionPlan } from './disk-plan.js';

export interface PhysicalVolume {
  name: string;
  partition: PartitionPlan;
  options: string[];
}

export interface VolumeGroup {
  name: string;
  pvs: string[];
  options: string[];
}

export interface LogicalVolume {
  name: string;
  vg: string;
  size?: string;
  extents?: string;
  options: string[];
}

export interface LvmPlan {
  pvs: PhysicalVolume[];
  vgs: VolumeGroup[];
  lvs: LogicalVolume[];
}

export function planLvm(nodes: readonly ConfigNode[], partitions: readonly PartitionPlan[]): LvmPlan | undefined {
  const lvmNodes = nodes.filter((n) => n.plugin === 'lvm');
  if (lvmNodes.length === 0) return undefined;
  if (lvmNodes.length > 1) throw bad('only one lvm node is supported');
  const o = (lvmNodes[0] as ConfigNode).options;
  for (const key of ['pvs', 'vgs', 'lvs']) if (!Array.isArray(o[key])) throw bad(`Lvm config needs '${key}'`);
  const items = (key: string) => o[key] as Array<Record<string, unknown>>;
  const pvs = items('pvs').map((p): PhysicalVolume => {
    if (typeof p.base !== 'string') throw bad("Missing 'base' in pvs_config");
    const partition = partitions.find((x) => x.name === p.base);
    if (!partition) throw bad(`pvs ${String(p.name)}: base ${p.base} is not a partition`);
    return { name: String(p.name), partition, options: stringList(p.options, `pvs ${String(p.name)} options`) };
  });
  const vgs = items('vgs').map((v): VolumeGroup => {
    if (!Array.isArray(v.base)) throw bad("Missing 'base' in vgs config");
    for (const pv of v.base) if (!pvs.some((x) => x.name === pv)) throw bad(`base:${String(pv)} in vgs does not match a valid pvs`);
    return { name: checkLvmName(String(v.name)), pvs: v.base.map(String), options: stringList(v.options, `vgs ${String(v.name)} options`) };
  });
  const lvs = items('lvs').map((l): LogicalVolume => {
    if (typeof l.base !== 'string') throw bad("Missing 'base' in lvs config");
    if (l.size === undefined && l.extents === undefined) throw bad("Missing 'size' or 'extents' in lvs config");
    if (!vgs.some((v) => v.name === l.base)) throw bad(`base:${l.base} in lvs does not match a valid vg`);
    return {
      name: checkLvmName(String(l.name)),
      vg: l.base,
      ...(l.size !== undefined ? { size: String(l.size) } : { extents: String(l.extents) }),
      options: stringList(l.options, `lvs ${String(l.name)} options`),
    };
  });
  return { pvs, vgs, lvs };
}

/** VG and LV names become LVM arguments and device names: LVM's own character set only. */
function checkLvmName(name: string): string {
  if (!/^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$/.test(name)) throw bad(`"${name}" is not a valid LVM name (letters, digits, + _ . -)`);
  return name;
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw bad(`${what} must be a list`);
  return value.map(String);
}

function bad(problem: string): AssemblyError {
  return new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `DIB_BLOCK_DEVICE_CONFIG: lvm: ${problem}`);
}
