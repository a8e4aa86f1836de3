/**
 * A tiny tree (kernel included, plus /var/lib/marker so a separate /var
 * filesystem has content of its own) assembled as raw with a given
 * DIB_BLOCK_DEVICE_CONFIG, for the layout tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleImage } from '../../../src/assembly/assemble.js';
import type { AssemblyResult } from '../../../src/assembly/types.js';
import type { Scratch } from './scratch.js';
import { makeTinyTree } from './tiny-tree.js';
import type { MemoryTracker } from './memory-tracker.js';

export async function assembleCustomLayout(scratch: Scratch, tracker: MemoryTracker, name: string, elements: string[], config: string): Promise<AssemblyResult> {
  await makeTinyTree(scratch.root, { withKernel: true });
  await mkdir(join(scratch.root, 'var/lib'), { recursive: true });
  await writeFile(join(scratch.root, 'var/lib/marker'), 'in var\n');
  return assembleImage({
    rootDir: scratch.root,
    outputBase: join(scratch.out, name),
    formats: ['raw'],
    elements,
    env: { DIB_BLOCK_DEVICE_CONFIG: config },
    checksums: [],
    workDir: scratch.work,
    resources: tracker,
    log: () => {},
  });
}
