/**
 * A systemd unit file → section → key → values (a key may repeat, e.g.
 * Environment=). Enough of systemd.syntax(7) for the checks: comments,
 * sections, `Key=value`, backslash continuations.
 */
export type UnitFile = Map<string, Map<string, string[]>>;

export function parseUnitFile(text: string): UnitFile {
  const unit: UnitFile = new Map();
  let section: Map<string, string[]> | undefined;
  for (const line of joinContinuations(text)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(trimmed);
    if (header) {
      section = new Map();
      unit.set(header[1] as string, section);
      continue;
    }
    const eq = trimmed.indexOf('=');
    if (!section || eq <= 0) throw new Error(`not a unit file line: ${JSON.stringify(line)}`);
    const key = trimmed.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), trimmed.slice(eq + 1).trim()]);
  }
  return unit;
}

/** The last value of a key (systemd: the last assignment wins for single-valued keys). */
export function unitValue(unit: UnitFile, section: string, key: string): string | undefined {
  return unit.get(section)?.get(key)?.at(-1);
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\n/g, ' ').split('\n');
}
