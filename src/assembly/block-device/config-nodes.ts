/**
 * The block-device YAML (DIB_BLOCK_DEVICE_CONFIG) flattened into named nodes,
 * exactly as DIB's `config_tree_to_graph`/`recurse_config` do: a missing `base`
 * is the parent's name, a missing `name` is `<plugin>_<base>` (`mkfs_root`,
 * `mount_mkfs_root`, `fstab_mount_mkfs_root`), plugin keys nested in a
 * partition take the partition's name as base. Then the graph checks DIB makes
 * (duplicate names, undefined bases) with Kiln's own error codes.
 */
import { parse as parseYaml } from 'yaml';
import { AssemblyError } from '../assembly-error.js';

export const PLUGINS = ['local_loop', 'partitioning', 'lvm', 'mkfs', 'mount', 'fstab'] as const;
export type PluginName = (typeof PLUGINS)[number];

export interface ConfigNode {
  plugin: PluginName;
  name: string;
  base?: string;
  /** the plugin's own keys (nested plugin keys removed) */
  options: Record<string, unknown>;
}

export function parseBlockDeviceConfig(yamlText: string): ConfigNode[] {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (err) {
    throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `DIB_BLOCK_DEVICE_CONFIG: invalid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(doc)) throw bad('the config must be a YAML list of single-key plugin maps');
  const nodes = doc.flatMap((entry) => recurse(entry, undefined));
  checkGraph(nodes);
  return nodes;
}

function recurse(entry: unknown, parentBase: string | undefined): ConfigNode[] {
  if (!isMap(entry) || Object.keys(entry).length !== 1) throw bad(`each entry must be a map with one plugin key, got ${JSON.stringify(entry)}`);
  const [plugin, raw] = Object.entries(entry)[0] as [string, unknown];
  if (!isPlugin(plugin)) throw bad(`unknown plugin "${plugin}" (known: ${PLUGINS.join(', ')})`);
  const body = isMap(raw) ? raw : {};
  // lvm's base is a list of partitions (its pvs name the real bases); it keeps it as an option
  const base = typeof body.base === 'string' ? body.base : Array.isArray(body.base) ? undefined : parentBase;
  const name = typeof body.name === 'string' ? body.name : base !== undefined ? `${plugin}_${base}` : plugin;
  const out: ConfigNode[] = [];
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (isPlugin(key)) out.push(...recurse({ [key]: value }, name));
    else if (key === 'partitions' && Array.isArray(value)) options.partitions = value.map((p) => partition(p, out));
    else if (key !== 'name' && (key !== 'base' || Array.isArray(value))) options[key] = value;
  }
  return [{ plugin, name, ...(base !== undefined ? { base } : {}), options }, ...out];
}

/** A partition entry: its plugin keys become nodes based on the partition name. */
function partition(raw: unknown, out: ConfigNode[]): Record<string, unknown> {
  if (!isMap(raw) || typeof raw.name !== 'string') throw bad(`every partition needs a name, got ${JSON.stringify(raw)}`);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (isPlugin(key)) out.push(...recurse({ [key]: value }, raw.name));
    else kept[key] = value;
  }
  return kept;
}

function checkGraph(nodes: ConfigNode[]): void {
  const names = new Set<string>();
  const add = (n: string): void => {
    if (names.has(n)) throw bad(`duplicate node name "${n}"`);
    names.add(n);
  };
  for (const node of nodes) {
    add(node.name);
    for (const p of (node.options.partitions as Array<{ name: string }> | undefined) ?? []) add(p.name);
    // lvm: its physical volumes, volume groups and logical volumes are nodes too (mkfs bases on an lv)
    for (const key of ['pvs', 'vgs', 'lvs']) {
      const list = node.plugin === 'lvm' ? node.options[key] : undefined;
      if (list !== undefined && !Array.isArray(list)) throw bad(`lvm "${node.name}": ${key} must be a list`);
      for (const item of (list as unknown[] | undefined) ?? []) {
        if (!isMap(item) || typeof item.name !== 'string') throw bad(`lvm "${node.name}": every entry of ${key} needs a name`);
        add(item.name);
      }
    }
  }
  for (const node of nodes) {
    if (node.plugin === 'local_loop' || node.plugin === 'lvm') continue;
    if (node.base === undefined) throw bad(`${node.plugin} "${node.name}" has no base`);
    if (!names.has(node.base)) throw bad(`${node.plugin} "${node.name}": base "${node.base}" is not defined`);
  }
}

function isPlugin(key: string): key is PluginName {
  return (PLUGINS as readonly string[]).includes(key);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(problem: string): AssemblyError {
  return new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `DIB_BLOCK_DEVICE_CONFIG: ${problem}`);
}
