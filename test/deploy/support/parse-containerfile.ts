/**
 * A Containerfile/Dockerfile → its instructions, in order: comments dropped,
 * backslash continuations joined. Exec-form arguments (`["a", "b"]`) are
 * parsed as JSON.
 */
export interface Instruction {
  /** upper case: FROM, RUN, COPY, … */
  keyword: string;
  /** everything after the keyword, continuations joined with a space */
  args: string;
}

export function parseContainerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    if (/\\\s*$/.test(line)) {
      pending += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const match = /^(\S+)\s*(.*)$/s.exec(full) as RegExpExecArray;
    instructions.push({ keyword: (match[1] as string).toUpperCase(), args: (match[2] as string).trim() });
  }
  return instructions;
}

/** `["a", "b"]` → ['a', 'b']; shell form → null. */
export function execForm(args: string): string[] | null {
  if (!args.startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`bad exec form: ${args}`);
  return parsed as string[];
}

/** The packages of every `apt-get install` in RUN instructions (options skipped). */
export function aptPackages(instructions: Instruction[]): string[] {
  const packages: string[] = [];
  for (const { keyword, args } of instructions) {
    if (keyword !== 'RUN') continue;
    for (const command of args.split(/;|&&/)) {
      const words = command.trim().split(/\s+/);
      const at = words.findIndex((w, i) => w === 'install' && words[i - 1] === 'apt-get');
      if (at < 0) continue;
      packages.push(...words.slice(at + 1).filter((w) => w !== '' && !w.startsWith('-')));
    }
  }
  return packages;
}
