/**
 * Node names of kazoo's `Lock` recipe (kazoo/recipe/lock.py), which Nodepool
 * uses unmodified: a contender creates `<uuid4 hex>__lock__` as an ephemeral
 * sequential child of the lock path, ZooKeeper appends 10 digits. kazoo's
 * `Lock` counts as contenders the children matching `(?:__lock__)(-?\d{10})$`
 * (its `_EXCLUDE_NAMES = ["__lock__"]`; `__rlock__` read-lock nodes are not
 * contenders of a plain Lock) and orders them by the captured sequence,
 * compared as strings (the zero padding makes that numeric).
 */
import { randomUUID } from 'node:crypto';

export const LOCK_NODE_NAME = '__lock__';
const CONTENDER_RE = /(?:__lock__)(-?\d{10})$/;

/** `<32 hex>__lock__`: the prefix a contender creates and later finds its node by. */
export function newLockPrefix(): string {
  return `${randomUUID().replace(/-/g, '')}${LOCK_NODE_NAME}`;
}

/** The sequence suffix of a contender node, or null when the child is not a lock node. */
export function contenderSequence(name: string): string | null {
  return CONTENDER_RE.exec(name)?.[1] ?? null;
}

/** Contender names among `children`, in lock order (lowest sequence first). */
export function sortedContenders(children: readonly string[]): string[] {
  return children
    .map((name) => ({ name, sequence: contenderSequence(name) }))
    .filter((c): c is { name: string; sequence: string } => c.sequence !== null)
    .sort((a, b) => compareStrings(a.sequence, b.sequence))
    .map((c) => c.name);
}

/**
 * kazoo `_get_predecessor`: the contender with the greatest sequence below
 * `ownSequence`, or null when there is none (we hold the lock).
 */
export function predecessorOf(children: readonly string[], ownSequence: string): string | null {
  let best: { name: string; sequence: string } | null = null;
  for (const name of children) {
    const sequence = contenderSequence(name);
    if (sequence === null || compareStrings(sequence, ownSequence) >= 0) continue;
    if (best === null || compareStrings(sequence, best.sequence) > 0) best = { name, sequence };
  }
  return best?.name ?? null;
}

// Python compares str by code point; so does this (localeCompare would not).
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
