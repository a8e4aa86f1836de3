/**
 * `release` becomes a string (upstream: `d.release = str(d.release)` after
 * merging, so `release: 21` → "21"). Done per entry before merging, because
 * only the YAML source tells a float (`10.0` → "10.0") from an integer, and
 * the truthiness upstream's merge tests is the original value's (`0` is unset).
 */
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { pythonStr } from './python-str.js';
import type { RawDiskImage } from './raw-types.js';

export function normalizeReleases(diskimages: readonly RawDiskImage[], doc: Document.Parsed): RawDiskImage[] {
  const floats = floatReleaseIndexes(doc);
  return diskimages.map((image, index) => {
    const release = image.release;
    if (typeof release !== 'number') return image;
    return { ...image, release: release === 0 ? undefined : pythonStr(release, floats.has(index)) };
  });
}

/** Indexes of diskimages whose `release` scalar YAML resolved as a float. */
function floatReleaseIndexes(doc: Document.Parsed): Set<number> {
  const out = new Set<number>();
  const seq = doc.get('diskimages', true);
  if (!isSeq(seq)) return out;
  seq.items.forEach((item, index) => {
    const node = isMap(item) ? item.get('release', true) : undefined;
    // PyYAML floats always contain a dot (1.5, .5, 1.0e3, .inf); integers never do
    if (isScalar(node) && typeof node.value === 'number' && String(node.source).includes('.')) out.add(index);
  });
  return out;
}
