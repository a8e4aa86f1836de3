/**
 * Size spellings. Two dialects exist in DIB and we keep both: the block-device
 * YAML (`parse_abs_size_spec`: K/M/G/T and KB/MB/GB/TB are powers of 1000,
 * KiB/MiB/GiB/TiB powers of 1024) and `--image-size` (documented as GB but
 * computed as GiB; Kiln also takes a K/M/G/T suffix, binary).
 */
import { AssemblyError } from '../assembly-error.js';

const DECIMAL: Record<string, number> = { '': 1, B: 1, K: 1e3, KB: 1e3, M: 1e6, MB: 1e6, G: 1e9, GB: 1e9, T: 1e12, TB: 1e12 };
const BINARY: Record<string, number> = { KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** A block-device YAML size (`550MiB`, `8M`, `1073741824`) in bytes. */
export function parseDibSize(spec: string | number, what: string): number {
  if (typeof spec === 'number') return checkBytes(spec, what, spec);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*$/.exec(spec);
  const unit = m?.[2]?.toUpperCase() ?? '';
  const factor = unit in BINARY ? BINARY[unit] : DECIMAL[unit];
  if (!m || factor === undefined) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: cannot parse size "${spec}"`);
  return checkBytes(Math.floor(Number(m[1]) * factor), what, spec);
}

/** `N%` → N, else undefined. */
export function parsePercent(spec: string | number | undefined): number | undefined {
  if (typeof spec !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(spec);
  return m ? Number(m[1]) : undefined;
}

/** A partition's `size`: `N%` of `available` bytes (rounded down), else an absolute size; absent = 100%. */
export function partitionBytes(spec: string | number | undefined, available: number, what: string): number {
  const pct = parsePercent(spec);
  return pct !== undefined ? Math.floor((available * pct) / 100) : parseDibSize(spec ?? '100%', what);
}

/** `--image-size`: a plain number is GiB (DIB); `2048M`, `2G`, `2GiB` are binary. */
export function parseImageSize(spec: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(spec);
  if (!m) throw new AssemblyError('KILN_ASSEMBLY_BAD_OPTION', `--image-size: cannot parse "${spec}" (a number of GiB, or e.g. 2048M, 2G)`);
  const exp = { '': 3, K: 1, M: 2, G: 3, T: 4 }[(m[2] ?? '').toUpperCase()] ?? 3;
  return checkBytes(Math.floor(Number(m[1]) * 1024 ** exp), '--image-size', spec);
}

function checkBytes(n: number, what: string, spec: string | number): number {
  if (!Number.isFinite(n) || n <= 0) throw new AssemblyError('KILN_ASSEMBLY_BAD_CONFIG', `${what}: size "${spec}" must be positive`);
  return n;
}
