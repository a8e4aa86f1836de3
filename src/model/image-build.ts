/**
 * ImageBuild records to and from the JSON Nodepool stores at
 * /nodepool/images/<image>/builds/<id> (ImageBuild.toDict / updateFromDict):
 *
 *   {"state": "ready", "state_time": 1718000000.12, "builder": "nb01",
 *    "builder_id": "…", "formats": "qcow2,raw", "username": "zuul",
 *    "python_path": "auto", "shell_type": null}
 *
 * `builder`/`builder_id` are omitted when null and `formats` when empty (a
 * sorted, comma-joined string); the last three keys are always present. Kiln's
 * own fields (`extra`) follow upstream's keys; Python readers ignore them.
 */
import type { BuildState, ImageBuild } from './types.js';
import type { ZkStat } from '../zk/zk-types.js';
import { PyFloat, pythonJsonDumps, type PyJson } from './python-json.js';
import { parseJsonObject, readNodeFields, readStateFields, stringOrNull } from './record-json.js';
import { nowSeconds } from './record-state.js';

/** What is stored in the znode: the record without its path-derived names. */
export type ImageBuildData = Omit<ImageBuild, 'image' | 'id' | 'ctimeMs'>;

export const BUILD_STATES: readonly BuildState[] = ['building', 'ready', 'deleting', 'failed'];

const UPSTREAM_KEYS = ['state', 'state_time', 'builder', 'builder_id', 'formats', 'username', 'python_path', 'shell_type'];

export function serializeImageBuild(build: ImageBuildData): string {
  const d: Record<string, PyJson> = {
    state: build.state,
    state_time: build.stateTime === null ? null : new PyFloat(build.stateTime),
  };
  if (build.builder !== null) d['builder'] = build.builder;
  if (build.builderId !== null) d['builder_id'] = build.builderId;
  if (build.formats.length > 0) d['formats'] = [...build.formats].sort().join(',');
  d['username'] = build.username;
  d['python_path'] = build.pythonPath;
  d['shell_type'] = build.shellType;
  for (const [key, value] of Object.entries(build.extra ?? {})) {
    // Never let an extension field shadow one of upstream's.
    if (!UPSTREAM_KEYS.includes(key) && value !== undefined) d[key] = value as PyJson;
  }
  return pythonJsonDumps(d);
}

/** The record in a build znode, or null when its data is empty or not a JSON object. */
export function parseImageBuild(
  data: Buffer | string,
  image: string,
  id: string,
  stat?: Pick<ZkStat, 'ctime'>,
  now: () => number = nowSeconds,
): ImageBuild | null {
  const d = parseJsonObject(data);
  if (d === null) return null;
  const build: ImageBuild = {
    image,
    id,
    ...readStateFields(d, BUILD_STATES, now),
    builder: stringOrNull(d['builder']),
    builderId: stringOrNull(d['builder_id']),
    formats: readFormats(d['formats']),
    ...readNodeFields(d),
  };
  if (stat) build.ctimeMs = stat.ctime;
  const extra = Object.fromEntries(Object.entries(d).filter(([key]) => !UPSTREAM_KEYS.includes(key)));
  if (Object.keys(extra).length > 0) build.extra = extra;
  return build;
}

/** Nodepool splits a non-empty string on commas; the formats property returns them sorted. */
function readFormats(value: unknown): string[] {
  if (typeof value === 'string' && value !== '') return value.split(',').sort();
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').sort();
  return [];
}
