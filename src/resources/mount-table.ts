import { readFile } from 'node:fs/promises';

/** Mount points from /proc/self/mountinfo, in mount order (octal escapes decoded). */
export async function mountPoints(): Promise<string[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => decodeOctal(line.split(' ')[4] ?? ''));
}

/** Mount points equal to or below `dir`, deepest (and latest) first: the order to unmount them. */
export async function mountsBelow(dir: string): Promise<string[]> {
  const root = dir.replace(/\/+$/, '');
  const all = await mountPoints();
  const below = all.filter((mp) => mp === root || mp.startsWith(`${root}/`));
  // later mounts may stack on earlier ones at the same path: reverse mount order, then depth
  return below
    .map((mp, index) => ({ mp, index }))
    .sort((a, b) => depth(b.mp) - depth(a.mp) || b.index - a.index)
    .map((entry) => entry.mp);
}

function depth(path: string): number {
  return path.split('/').length;
}

function decodeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
