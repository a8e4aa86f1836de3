import type { Element } from './element.js';
import { ElementError } from './element-error.js';

export interface ResolveOptions {
  /** DIB's `vm` hack picks block-device-efi on arm64, block-device-mbr elsewhere */
  arch: string;
}

/**
 * Expands the requested elements through element-deps and element-provides,
 * with DIB's errors but a deterministic result: elements sorted by name, and
 * virtual dependencies (vm → block-device) judged only once every provider in
 * the set is known, so the answer never depends on traversal order.
 */
export function resolveElements(requested: string[], available: Map<string, Element>, options: ResolveOptions): Element[] {
  const wanted = new Set(requested);
  const names = new Set(requested);
  addDefaultBlockDevice(names, available, options.arch);
  for (;;) {
    const provided = providersOf(names, available);
    const before = names.size;
    for (const name of [...names].sort()) {
      const element = available.get(name);
      if (!element) continue;
      for (const dep of element.deps) if (!names.has(dep) && !provided.has(dep)) names.add(dep);
    }
    if (names.size === before) {
      addDefaultBlockDevice(names, available, options.arch);
      if (names.size === before) break;
    }
  }

  const provided = providersOf(names, available);
  for (const [virtual, providers] of [...provided].sort(([a], [b]) => a.localeCompare(b))) {
    if (providers.length > 1) {
      throw new ElementError('KILN_ELEMENT_ALREADY_PROVIDED', `${virtual}: already provided by ${pyList(providers.slice(0, -1))}`);
    }
    if (wanted.has(virtual)) throw new ElementError('KILN_ELEMENT_ALREADY_PROVIDED', `${virtual}: already provided by ${pyList(providers)}`);
  }
  for (const name of [...names].sort()) {
    if (!available.has(name) && !provided.has(name)) throw new ElementError('KILN_ELEMENT_NOT_FOUND', `Element '${name}' not found`);
  }
  if (!provided.has('operating-system')) throw new ElementError('KILN_ELEMENT_NO_OS', 'Please include an operating system element');

  return [...names]
    .filter((name) => available.has(name) && !(provided.has(name) && !wanted.has(name)))
    .sort()
    .map((name) => available.get(name) as Element);
}

/** virtual name → the elements in the set providing it (sorted) */
function providersOf(names: Set<string>, available: Map<string, Element>): Map<string, string[]> {
  const provided = new Map<string, string[]>();
  for (const name of [...names].sort()) {
    for (const virtual of available.get(name)?.provides ?? []) provided.set(virtual, [...(provided.get(virtual) ?? []), name]);
  }
  return provided;
}

/** DIB's _arg_defaults_hack, applied wherever `vm` appears, not only on the command line. */
function addDefaultBlockDevice(names: Set<string>, available: Map<string, Element>, arch: string): void {
  if (!names.has('vm') || [...names].some((n) => n.startsWith('block-device-'))) return;
  const fallback = arch === 'arm64' || arch === 'aarch64' ? 'block-device-efi' : 'block-device-mbr';
  if (available.has(fallback)) names.add(fallback);
}

/** DIB prints Python lists: ['a', 'b'] */
function pyList(items: string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
