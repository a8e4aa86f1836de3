/**
 * Shared reading helpers for Nodepool's record JSON. Readers are lenient the
 * way Nodepool's are: data that is empty or not a JSON object gives no record
 * (getBuild/getImageUpload return None on a decode error), and odd field types
 * are read as null instead of failing the whole listing.
 */

export type JsonObject = Record<string, unknown>;

/** The JSON object in a znode's data, or null for empty, non-JSON or non-object data. */
export function parseJsonObject(data: Buffer | string): JsonObject | null {
  const text = typeof data === 'string' ? data : data.toString('utf8');
  if (text === '') return null; // lock orphans: skip the exception
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Cloud ids are strings; a number (some clouds' APIs) is kept as its text rather than lost. */
export function idOrNull(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return stringOrNull(value);
}

/**
 * The node-connection fields both records carry, with BaseModel's read
 * defaults (missing username → zuul, missing python_path → /usr/bin/python2).
 */
export function readNodeFields(d: JsonObject): { username: string | null; pythonPath: string | null; shellType: string | null } {
  return {
    username: stringWithDefault(d, 'username', 'zuul'),
    pythonPath: stringWithDefault(d, 'python_path', '/usr/bin/python2'),
    shellType: stringOrNull(d['shell_type']),
  };
}

/** Nodepool's read default: `d.get(key, default)` (a missing key gets the default). */
export function stringWithDefault(d: JsonObject, key: string, fallback: string): string | null {
  // Python's d.get(key, fallback): only a missing key takes the default; an
  // explicit null stays null, so re-writing a record keeps what a peer stored.
  if (!(key in d)) return fallback;
  return typeof d[key] === 'string' ? (d[key] as string) : null;
}

/**
 * `state` and `state_time` as BaseModel.updateFromDict reads them: assigning
 * `state` stamps `state_time = time.time()`, which a stored `state_time` then
 * overrides. So a record with a state but no state_time reads as "changed now".
 */
export function readStateFields<S extends string>(
  d: JsonObject,
  validStates: readonly S[],
  now: () => number,
): { state: S | null; stateTime: number | null } {
  const rawState = d['state'];
  const state = typeof rawState === 'string' && (validStates as readonly string[]).includes(rawState) ? (rawState as S) : null;
  let stateTime: number | null = null;
  if ('state_time' in d) stateTime = typeof d['state_time'] === 'number' ? d['state_time'] : null;
  else if ('state' in d) stateTime = now();
  return { state, stateTime };
}
