/**
 * Creates the planned LVM volumes inside the image without device-mapper
 * (which DIB's lvm plugin needs, and our hosts lack): one loop device per
 * physical volume over exactly its partition, then pvcreate / vgcreate /
 * lvcreate with activation disabled (`global/activation=0`: LVM writes its
 * metadata and never asks the kernel to map anything; LVs are created with
 * `-an -Zn`, so nothing is zeroed through a mapping). LVM's own report then
 * says where each LV's extents are, and its filesystem is made at that byte
 * range of the image, like every other filesystem here.
 *
 * The LVM commands see only our loop devices (a device filter, no devices
 * file), write no backup or archive under /etc/lvm, and so never touch or
 * collide with the host's own volume groups.
 */
import type { DiskPlan, FilesystemPlan } from './disk-plan.js';
import type { LvmPlan } from './lvm-plan.js';
import { runTool, type ToolContext } from '../run-tool.js';
import type { ResourceTracker } from '../../resources/types.js';
import { AssemblyError } from '../assembly-error.js';
import { withLoopDevice } from './loop-device.js';

export interface LvmContext extends ToolContext {
  resources: ResourceTracker;
}

/** Where each logical volume lives in the image file (bytes). */
export type LvPlacement = Record<string, { offset: number; size: number }>;

export async function createLvm(ctx: LvmContext, image: string, plan: DiskPlan & { lvm: LvmPlan }): Promise<LvPlacement> {
  const devices: Record<string, string> = {};
  const attach = async (i: number): Promise<LvPlacement> => {
    const pv = plan.lvm.pvs[i];
    if (!pv) return createVolumes(ctx, plan, devices);
    const { startSector, sizeSectors } = pv.partition;
    return withLoopDevice(ctx, image, { offset: startSector * plan.sectorSize, sizeLimit: sizeSectors * plan.sectorSize, sectorSize: plan.sectorSize }, (device) => {
      devices[pv.name] = device;
      return attach(i + 1);
    });
  };
  return attach(0);
}

/** The filesystems with their logical volume's byte range filled in. */
export function placeFilesystems(filesystems: readonly FilesystemPlan[], placement: LvPlacement): FilesystemPlan[] {
  return filesystems.map((fs) => {
    if (!fs.lv) return fs;
    const at = placement[fs.lv];
    if (!at) throw new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', `logical volume ${fs.lv} was not found after lvcreate`);
    return { ...fs, ...at };
  });
}

async function createVolumes(ctx: LvmContext, plan: DiskPlan & { lvm: LvmPlan }, devices: Record<string, string>): Promise<LvPlacement> {
  const lvm = lvmRunner(ctx, Object.values(devices));
  for (const pv of plan.lvm.pvs) await lvm('pvcreate', [...pv.options, devices[pv.name] as string]);
  for (const vg of plan.lvm.vgs) await lvm('vgcreate', [...vg.options, vg.name, ...vg.pvs.map((p) => devices[p] as string)]);
  for (const lv of plan.lvm.lvs) {
    const amount = lv.size !== undefined ? ['-L', lv.size] : ['-l', lv.extents as string];
    await lvm('lvcreate', ['-an', '-Zn', '--name', lv.name, ...amount, ...lv.options, lv.vg]);
  }
  const offsets = Object.fromEntries(plan.lvm.pvs.map((pv) => [devices[pv.name] as string, pv.partition.startSector * plan.sectorSize]));
  const placed = placement(await reports(lvm), offsets);
  await deactivateIfAutoActivated(ctx, Object.values(devices), plan.lvm);
  return placed;
}

/**
 * On a host WITH device-mapper, udev's LVM rules may auto-activate a volume
 * group the moment its PV signature appears on our loop device; the VG would
 * then hold the loop busy and show up among the host's volumes. Deactivate
 * ours (only ours: same device filter) before the loops are detached. On
 * hosts without device-mapper there is nothing to deactivate and the
 * command's failure is expected and ignored.
 */
async function deactivateIfAutoActivated(ctx: LvmContext, devices: readonly string[], plan: LvmPlan): Promise<void> {
  const lvm = lvmRunner({ ...ctx, log: () => {} }, devices, true);
  for (const vg of plan.vgs) await lvm('vgchange', ['-an', vg.name]).catch(() => undefined);
}

interface Reports {
  pvs: Array<{ pv_name: string; pe_start: string }>;
  vgs: Array<{ vg_name: string; vg_extent_size: string }>;
  segs: Array<{ lv_name: string; vg_name: string; segtype: string; seg_pe_ranges: string }>;
}

async function reports(lvm: LvmRunner): Promise<Reports> {
  const report = async <T>(cmd: string, fields: string, extra: string[] = []): Promise<T[]> => {
    const out = JSON.parse(await lvm(cmd, ['--reportformat', 'json', '--units', 'b', '--nosuffix', '-o', fields, ...extra])) as { report: Array<Record<string, T[]>> };
    return Object.values(out.report[0] ?? {})[0] ?? [];
  };
  return {
    pvs: await report('pvs', 'pv_name,pe_start'),
    vgs: await report('vgs', 'vg_name,vg_extent_size'),
    segs: await report('lvs', 'lv_name,vg_name,segtype,seg_pe_ranges', ['--segments']),
  };
}

/** LV → bytes: partition offset + the PV's first extent + extent index × extent size (one linear segment each). */
export function placement(r: Reports, partitionOffsets: Record<string, number>): LvPlacement {
  const out: LvPlacement = {};
  for (const seg of r.segs) {
    const where = `logical volume ${seg.vg_name}/${seg.lv_name}`;
    if (out[seg.lv_name]) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `${where} spans more than one segment; Kiln places each LV in one contiguous range`);
    if (seg.segtype !== 'linear' && seg.segtype !== 'striped') throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `${where} has segment type ${seg.segtype}; without device-mapper Kiln writes linear volumes only`);
    const m = /^(\S+):(\d+)-(\d+)$/.exec(seg.seg_pe_ranges.trim());
    if (!m) throw new AssemblyError('KILN_ASSEMBLY_UNSUPPORTED', `${where} lies on ${seg.seg_pe_ranges}; Kiln places each LV on one physical volume`);
    const [, device, first, last] = m as unknown as [string, string, string, string];
    const pv = r.pvs.find((p) => p.pv_name === device);
    const vg = r.vgs.find((v) => v.vg_name === seg.vg_name);
    const partitionOffset = partitionOffsets[device];
    if (!pv || !vg || partitionOffset === undefined) throw new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', `${where}: LVM reported an unknown physical volume ${device}`);
    const extent = Number(vg.vg_extent_size);
    out[seg.lv_name] = { offset: partitionOffset + Number(pv.pe_start) + Number(first) * extent, size: (Number(last) - Number(first) + 1) * extent };
  }
  return out;
}

type LvmRunner = (command: string, args: string[]) => Promise<string>;

function lvmRunner(ctx: ToolContext, devices: readonly string[], allowActivation = false): LvmRunner {
  const filter = [...devices.map((d) => `"a|^${d}$|"`), '"r|.*|"'].join(', ');
  const config = `devices { filter = [ ${filter} ] global_filter = [ ${filter} ] use_devicesfile = 0 hints = "none" } global { activation = ${allowActivation ? 1 : 0} } backup { backup = 0 archive = 0 }`;
  return (command, args) => runTool(ctx, command, ['--config', config, ...args], { env: { LVM_SUPPRESS_FD_WARNINGS: '1' } });
}
