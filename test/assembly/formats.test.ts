/**
 * A tiny fake-os tree through every format at once: each file valid for its
 * tool, checksums equal to node:crypto over the final files, tar contents right.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleImage } from '../../src/assembly/assemble.js';
import type { AssemblyResult } from '../../src/assembly/types.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { makeTinyTree } from './support/tiny-tree.js';
import { MemoryTracker } from './support/memory-tracker.js';

const FORMATS = ['raw', 'qcow2', 'vhd', 'tar', 'tgz', 'squashfs', 'docker'];

describe('every output format from a tiny tree (bare filesystem layout)', () => {
  let scratch: Scratch;
  let result: AssemblyResult;
  const tracker = new MemoryTracker();
  const steps: string[] = [];

  beforeAll(async () => {
    scratch = await makeScratch('formats');
    await makeTinyTree(scratch.root);
    result = await assembleImage({
      rootDir: scratch.root,
      outputBase: join(scratch.out, 'fake-0000000001'),
      formats: FORMATS,
      elements: ['fake-os'],
      env: { KILN_SQUASHFS_COMP: 'gzip' },
      qemuImgOptions: 'compat=0.10',
      checksums: ['md5', 'sha256'],
      workDir: scratch.work,
      resources: tracker,
      log: () => {},
      step: (name, event) => steps.push(`${name}:${event}`),
    });
  }, 120_000);

  afterAll(async () => {
    await scratch?.remove();
  });

  it('writes DIB’s file names, .md5/.sha256 where DIB writes them (not tar, docker, squashfs), and nothing else', async () => {
    const names = (await readdir(scratch.out)).sort();
    const summed = ['raw', 'qcow2', 'vhd', 'tgz'].map((e) => `fake-0000000001.${e}`);
    const bare = ['tar', 'squash', 'docker'].map((e) => `fake-0000000001.${e}`);
    expect(names).toEqual([...summed.flatMap((f) => [f, `${f}.md5`, `${f}.sha256`]), ...bare].sort());
    expect(Object.keys(result.outputs).sort()).toEqual([...FORMATS].sort());
    expect(Object.keys(result.checksums).sort()).toEqual(['qcow2', 'raw', 'tgz', 'vhd']);
  });

  it('checksums match node:crypto over the final files, in DIB’s file format', async () => {
    for (const [format, path] of Object.entries(result.outputs).filter(([f]) => f in result.checksums)) {
      const bytes = await readFile(path);
      const md5 = createHash('md5').update(bytes).digest('hex');
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(result.checksums[format]).toEqual({ md5, sha256 });
      expect(await readFile(`${path}.md5`, 'utf8')).toBe(`${md5}  ${path}\n`);
      expect(await readFile(`${path}.sha256`, 'utf8')).toBe(`${sha256}  ${path}\n`);
    }
  });

  it('qemu-img accepts raw, qcow2 (compat 0.10, compressed) and vhd with the exact size', async () => {
    const info = async (path: string, fmt: string) => JSON.parse((await execa('qemu-img', ['info', '--output=json', '-f', fmt, path])).stdout) as Record<string, unknown>;
    const raw = await info(result.outputs.raw as string, 'raw');
    const qcow2 = await info(result.outputs.qcow2 as string, 'qcow2');
    const vhd = await info(result.outputs.vhd as string, 'vpc');
    expect(qcow2['virtual-size']).toBe(raw['virtual-size']);
    expect((qcow2['format-specific'] as { data: { compat: string } }).data.compat).toBe('0.10');
    expect(vhd['virtual-size']).toBe(raw['virtual-size']);
    await execa('qemu-img', ['check', '-f', 'qcow2', result.outputs.qcow2 as string]);
    await execa('qemu-img', ['compare', '-f', 'raw', '-F', 'vpc', result.outputs.raw as string, result.outputs.vhd as string]);
    await execa('qemu-img', ['compare', '-f', 'raw', '-F', 'qcow2', result.outputs.raw as string, result.outputs.qcow2 as string]);
  });

  it('the raw image is a sparse ext4 filesystem labelled cloudimg-rootfs holding the tree and the fstab', async () => {
    const raw = result.outputs.raw as string;
    const st = await stat(raw);
    expect(st.blocks * 512).toBeLessThan(st.size);
    await execa('e2fsck', ['-fn', raw]);
    expect((await execa('e2label', [raw])).stdout).toBe('cloudimg-rootfs');
    const fstab = (await execa('debugfs', ['-R', 'cat /etc/fstab', raw])).stdout;
    expect(fstab).toBe('LABEL=cloudimg-rootfs / ext4 defaults 0 1');
    const tool = (await execa('debugfs', ['-R', 'stat /usr/bin/tool', raw])).stdout;
    expect(tool).toMatch(/Mode:\s+04755/);
  });

  it('tar, tgz and docker hold the tree without /proc and /sys, with modes and links', async () => {
    for (const format of ['tar', 'tgz', 'docker']) {
      const listing = (await execa('tar', ['-tvf', result.outputs[format] as string])).stdout.split('\n');
      const names = listing.map((l) => l.split(/\s+/).slice(5).join(' '));
      expect(names).toEqual(expect.arrayContaining(['./', './fake-os', './etc/fstab', './fake-data', './bin -> usr/bin']));
      expect(names.some((n) => n.startsWith('./proc') || n.startsWith('./sys'))).toBe(false);
      expect(listing.find((l) => l.endsWith('./usr/bin/tool'))).toMatch(/^-rwsr-xr-x 0\/0 /);
      // docker import wants a plain rootfs tar: relative member names, no absolute paths.
      expect(names.every((n) => n.startsWith('./'))).toBe(true);
    }
    const tar = await readFile(result.outputs.tar as string);
    expect(tar.equals(await readFile(result.outputs.docker as string))).toBe(true);
  });

  it('the squashfs holds the tree', async () => {
    const { stdout } = await execa('unsquashfs', ['-l', result.outputs.squashfs as string]);
    expect(stdout).toContain('squashfs-root/fake-os');
    expect(stdout).not.toContain('squashfs-root/proc/should-not-be-in-tar');
  });

  it('ran the producers concurrently and left no tracked resource behind', () => {
    const firstEnd = steps.findIndex((s) => s.startsWith('output:') && s.endsWith(':end'));
    const startsBefore = steps.slice(0, firstEnd).filter((s) => s.startsWith('output:') && s.endsWith(':start'));
    expect(startsBefore.length).toBe(5); // tar family, raw, qcow2, vhd, squashfs
    expect([...tracker.held.values()]).toEqual([]);
    expect(tracker.history.some((r) => r.kind === 'file' && r.path.endsWith('.qcow2.partial'))).toBe(true);
  });
});
