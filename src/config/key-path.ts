/**
 * Key paths as operators read them: `diskimages[2] (name: foo).rebuild-age`.
 * Items of the top-level lists (diskimages, providers, labels) carry their name
 * when they have one, because "diskimages[14]" alone sends people counting.
 */
export type PathSegment = string | number;

const NAMED_LISTS = new Set(['diskimages', 'providers', 'labels']);

export function formatKeyPath(segments: readonly PathSegment[], root: unknown): string {
  let out = '';
  let node: unknown = root;
  segments.forEach((segment, depth) => {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      node = Array.isArray(node) ? node[segment] : undefined;
      const listKey = depth === 1 ? segments[0] : undefined;
      const name = nameOf(node);
      if (typeof listKey === 'string' && NAMED_LISTS.has(listKey) && name !== undefined) out += ` (name: ${name})`;
    } else {
      out += out === '' ? segment : `.${segment}`;
      node = isRecord(node) ? node[segment] : undefined;
    }
  });
  return out;
}

/** `/diskimages/2/env-vars/a~1b` → ['diskimages', 2, 'env-vars', 'a/b'] */
export function parseJsonPointer(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(key)) {
      segments.push(Number(key));
      node = node[Number(key)];
    } else {
      segments.push(key);
      node = isRecord(node) ? node[key] : undefined;
    }
  }
  return segments;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOf(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const name = item['name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}
