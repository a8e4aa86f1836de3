/**
 * Diskimage and provider names become file names under images-dir
 * (`<image>-<build id>.qcow2`) and ZooKeeper znodes
 * (`/nodepool/images/<image>/…/providers/<provider>`). Reject names that would
 * escape or break those paths. Upstream checks none of this; anything else
 * (spaces, unicode, dots inside) stays allowed, as upstream.
 */
const MAX_BYTES = 255;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** null when the name is safe, else what is wrong with it */
export function unsafeNameProblem(name: string): string | null {
  const why = reason(name);
  if (why === null) return null;
  return `invalid name ${JSON.stringify(name)}: ${why} (names become file and ZooKeeper node names)`;
}

function reason(name: string): string | null {
  if (name === '') return 'must not be empty';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (name.includes('/')) return 'must not contain "/"';
  if (CONTROL.test(name)) return 'must not contain control characters';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_BYTES) return `must be at most ${MAX_BYTES} bytes, got ${bytes}`;
  return null;
}
