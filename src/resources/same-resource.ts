import type { TrackedResource } from './types.js';

export function sameResource(a: TrackedResource, b: TrackedResource): boolean {
  switch (a.kind) {
    case 'mount':
    case 'tempdir':
    case 'file':
      return b.kind === a.kind && b.path === a.path;
    case 'loop':
      return b.kind === 'loop' && b.device === a.device;
    case 'process':
      return b.kind === 'process' && b.pid === a.pid;
  }
}
