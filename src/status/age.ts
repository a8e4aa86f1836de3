/**
 * Nodepool's `status.age`: time since an epoch value as `dd:hh:mm:ss`, each
 * part truncated ('%02d:%02d:%02d:%02d' % (d, h, m, s)). Days are not capped.
 */
export function formatAge(epochSeconds: number, nowSeconds: number = Date.now() / 1000): string {
  const dt = nowSeconds - epochSeconds;
  // Python's divmod floors; with a clock skew dt may be negative, and '%02d'
  // of a negative float truncates toward zero. Mirror both.
  const [m0, s] = divmod(dt, 60);
  const [h0, m] = divmod(m0, 60);
  const [d, h] = divmod(h0, 24);
  return [d, h, m, s].map(pad2).join(':');
}

function divmod(a: number, b: number): [number, number] {
  const q = Math.floor(a / b);
  return [q, a - q * b];
}

function pad2(value: number): string {
  const n = Math.trunc(value);
  // '%02d' % -5 == '-5': the sign counts toward the width.
  return n < 0 ? String(n) : String(n).padStart(2, '0');
}
