/**
 * Python's `str()` of a YAML scalar, for `release` (upstream does
 * `d.release = str(d.release)`, so `release: 21` → "21" and `release: 10.0` →
 * "10.0"). JavaScript has one number type, so the caller says whether YAML
 * resolved the scalar as a float.
 */
export function pythonStr(value: string | number | boolean, isFloat: boolean): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return isFloat || !Number.isInteger(value) ? pythonFloatRepr(value) : String(value);
}

/** repr(float): shortest round-trip digits, fixed in [1e-4, 1e16), else d.ddde±XX. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    const fixed = String(x); // JS prints this range in fixed notation too
    return Number.isInteger(x) ? `${fixed}.0` : fixed;
  }
  const [mantissa, exponent = '0'] = x.toExponential().split('e');
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exponent.replace(/^[-+]/, '').padStart(2, '0')}`;
}
