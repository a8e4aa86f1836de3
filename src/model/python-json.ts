/**
 * JSON text exactly as Python's `json.dumps(obj)` writes it with default
 * arguments: `", "` and `": "` separators, ensure_ascii (every character
 * outside printable ASCII as a lowercase `\uXXXX`, astral characters as
 * surrogate pairs) and float `repr`. Nodepool writes every znode and the
 * export-image-data file this way; matching it byte for byte keeps export
 * files identical whichever builder wrote the records.
 */

/** A number that Python holds as a float: `1718000000.0`, never `1718000000`. */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

/** `json.dumps(value)`; plain numbers are ints when integral, floats otherwise. */
export function pythonJsonDumps(value: PyJson): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : pythonFloatRepr(value);
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  const entries = Object.entries(value).filter((entry): entry is [string, PyJson] => entry[1] !== undefined);
  return `{${entries.map(([k, v]) => `${pythonJsonString(k)}: ${pythonJsonDumps(v)}`).join(', ')}}`;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** json.encoder.py_encode_basestring_ascii: escape `"`, `\` and everything outside ' '..'~'. */
export function pythonJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const code = s.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e && ch !== '"' && ch !== '\\') out += ch;
    else out += SHORT_ESCAPES[ch] ?? `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/**
 * Python's `repr(float)`: the shortest round-trip digits (which JavaScript's
 * number formatting also produces), laid out as Python does: always a `.0` on
 * integral values, scientific notation below 1e-4 and from 1e16 on, with a
 * two-digit exponent. NaN and infinities as json.dumps writes them.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
    return `${sign}${m}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intLength = exponent + 1;
  if (digits.length <= intLength) return `${sign}${digits}${'0'.repeat(intLength - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
}
