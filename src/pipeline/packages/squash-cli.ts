/**
 * Host helper for the package-installs element (extra-data.d):
 *   package-installs-squash OUTFILE
 * Reads the element set from IMAGE_ELEMENT_YAML and writes one line per
 * operation, "<phase> <install|uninstall> <package> <element>", which the
 * in-chroot package-installs-v2 (bash: the image may have no Python) reads.
 */
import { writeFileSync } from 'node:fs';
import { squashPackageInstalls } from './package-installs.js';

const out = process.argv[2];
if (!out) {
  process.stderr.write('usage: package-installs-squash OUTFILE\n');
  process.exit(2);
}
const elements = (process.env.IMAGE_ELEMENT_YAML ?? '')
  .split('\n')
  .map((line) => /^([^:]+):\s*(.+)$/.exec(line))
  .flatMap((m) => (m && m[1] && m[2] ? [{ name: m[1].trim(), path: m[2].trim() }] : []));
try {
  const ops = squashPackageInstalls(elements, process.env);
  writeFileSync(out, ops.map((o) => `${o.phase} ${o.op} ${o.pkg} ${o.element}\n`).join(''));
} catch (err) {
  process.stderr.write(`package-installs-squash: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
