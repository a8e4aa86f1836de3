import { rename, rm } from 'node:fs/promises';
import { execa } from 'execa';

/** Moves the finished tree to `dest` (rename when possible, else copy then delete). */
export async function moveTree(source: string, dest: string): Promise<void> {
  await execa('rm', ['-rf', '--one-file-system', dest]);
  try {
    await rename(source, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await execa('cp', ['-a', '--reflink=auto', source, dest]);
    await rm(source, { recursive: true, force: true });
  }
}
