/** The newest kernel in the tree's /boot, and its initrd (Debian and RHEL spellings). */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AssemblyError } from '../assembly-error.js';

export interface KernelFiles {
  version: string;
  /** file names inside /boot */
  kernel: string;
  initrd?: string;
}

export async function findKernel(rootDir: string): Promise<KernelFiles> {
  const names = await readdir(join(rootDir, 'boot')).catch(() => [] as string[]);
  const kernel = pickKernel(names);
  if (!kernel) throw new AssemblyError('KILN_ASSEMBLY_NO_KERNEL', `a bootloader was requested but ${join(rootDir, 'boot')} has no vmlinuz-*`);
  return kernel;
}

export function pickKernel(names: readonly string[]): KernelFiles | undefined {
  const versions = names
    .map((n) => /^vmlinuz-(.+)$/.exec(n)?.[1])
    .filter((v): v is string => !!v)
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  const version = versions[0];
  if (!version) return undefined;
  const initrd = [`initrd.img-${version}`, `initramfs-${version}.img`, `initrd-${version}`].find((n) => names.includes(n));
  return { version, kernel: `vmlinuz-${version}`, ...(initrd ? { initrd } : {}) };
}
