/**
 * The table format of the `nodepool` CLI: Python PrettyTable with
 * `align = 'l'` (headers left-aligned too), one space of padding, `+---+`
 * rules. An empty table still prints its header and bottom rule, as
 * PrettyTable does.
 */
export type Cell = string | number | boolean | null | undefined | string[];

export function prettyTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map(cellText));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: string[]): string => `|${cells.map((c, i) => ` ${c.padEnd(widths[i] ?? 0)} `).join('|')}|`;
  return [rule, line(headers), rule, ...text.map(line), rule].join('\n');
}

/** Nulls print empty, lists comma-joined, booleans True/False (Python's str()). */
export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}
