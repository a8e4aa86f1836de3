/**
 * A tiny fake-os-like root tree (DIB's tests/elements/fake-os): the usual top
 * directories, a few files with modes, a symlink, a setuid file, some data, and
 * optionally a fake kernel + initrd in /boot so bootloader layouts can be built.
 */
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function makeTinyTree(root: string, options: { withKernel?: boolean; dataMiB?: number } = {}): Promise<void> {
  for (const d of ['etc', 'mnt', 'proc', 'dev', 'sys', 'tmp', 'boot', 'usr/bin']) await mkdir(join(root, d), { recursive: true });
  await writeFile(join(root, 'proc/should-not-be-in-tar'), 'x');
  await writeFile(join(root, 'fake-os'), 'fake-os\n');
  await writeFile(join(root, 'etc/hostname'), 'fake\n');
  await writeFile(join(root, 'usr/bin/tool'), '#!/bin/sh\necho hi\n');
  await chmod(join(root, 'usr/bin/tool'), 0o4755);
  await symlink('usr/bin', join(root, 'bin'));
  // Incompressible-ish data so formats have real work (a few MiB, not fake-os' 42 MB).
  const data = Buffer.alloc((options.dataMiB ?? 4) * 1024 * 1024);
  for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
  await writeFile(join(root, 'fake-data'), data);
  if (options.withKernel) {
    await writeFile(join(root, 'boot/vmlinuz-6.1.0-9-amd64'), 'old kernel');
    await writeFile(join(root, 'boot/vmlinuz-6.1.0-10-amd64'), 'kernel');
    await writeFile(join(root, 'boot/initrd.img-6.1.0-10-amd64'), 'initrd');
  }
}
