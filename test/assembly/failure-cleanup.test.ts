/**
 * A failure in the middle of assembly leaves nothing behind: no loop device,
 * no mount, no partial output, nothing still tracked, the tree as it was.
 */
import { execa } from 'execa';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assembleImage } from '../../src/assembly/assemble.js';
import type { AssemblyRequest } from '../../src/assembly/types.js';
import { isKilnError } from '../../src/errors/index.js';
import { makeScratch, type Scratch } from './support/scratch.js';
import { makeTinyTree } from './support/tiny-tree.js';
import { MemoryTracker } from './support/memory-tracker.js';

describe('failure in the middle of assembly', () => {
  let scratch: Scratch;
  let tracker: MemoryTracker;

  beforeEach(async () => {
    scratch = await makeScratch('fail');
    tracker = new MemoryTracker();
    await makeTinyTree(scratch.root, { withKernel: true });
  });

  afterEach(async () => {
    await scratch.remove();
  });

  const request = (over: Partial<AssemblyRequest>): AssemblyRequest => ({
    rootDir: scratch.root,
    outputBase: join(scratch.out, 'img'),
    formats: ['raw', 'qcow2'],
    elements: ['vm'],
    env: {},
    checksums: ['md5', 'sha256'],
    workDir: scratch.work,
    resources: tracker,
    log: () => {},
    ...over,
  });

  async function expectNothingLeft(): Promise<void> {
    expect([...tracker.held.values()]).toEqual([]);
    expect(await readdir(scratch.out)).toEqual([]);
    expect((await readdir(scratch.work)).filter((f) => f.endsWith('.raw'))).toEqual([]);
    expect((await readdir(scratch.dir)).filter((f) => f.startsWith('.kiln-aside'))).toEqual([]);
    expect((await execa('losetup', ['-a'])).stdout).not.toContain(scratch.dir);
    expect(await readFile('/proc/self/mounts', 'utf8')).not.toContain(scratch.dir);
  }

  it('a filesystem that does not fit (after the ESP was made) fails cleanly and restores the tree', async () => {
    const err = await assembleImage(request({ elements: ['vm', 'block-device-efi'], imageSize: '600M' })).catch((e: unknown) => e);
    expect(isKilnError(err, 'KILN_ASSEMBLY_TOOL_FAILED')).toBe(true);
    expect((err as Error).message).toMatch(/mke2fs/);
    expect(await readdir(join(scratch.root, 'boot/efi/EFI/BOOT'))).toEqual(['BOOTX64.EFI']);
    expect(tracker.history.some((r) => r.kind === 'file' && r.path.endsWith('image0.raw'))).toBe(true);
    await expectNothingLeft();
  });

  it('a cancel while the formats are being written stops them and removes the partial files', async () => {
    const abort = new AbortController();
    const err = await assembleImage(
      request({
        signal: abort.signal,
        step: (name, event) => {
          if (name === 'output:qcow2' && event === 'start') setTimeout(() => abort.abort(), 50);
        },
      }),
    ).catch((e: unknown) => e);
    expect(isKilnError(err, 'KILN_ASSEMBLY_CANCELLED')).toBe(true);
    expect(tracker.history.some((r) => r.kind === 'file' && r.path.endsWith('img.qcow2.partial'))).toBe(true);
    await expectNothingLeft();
    expect((await execa('ps', ['-eo', 'args'])).stdout).not.toContain(scratch.dir);
  });

  it('the xfs route detaches its tracked loop device when mkfs.xfs fails', async () => {
    const config = `
- local_loop: {name: image0}
- partitioning:
    base: image0
    label: mbr
    partitions:
      - name: root
        size: 100%
        mkfs: {type: xfs, opts: "--no-such-option", mount: {mount_point: /}}
`;
    const err = await assembleImage(request({ env: { DIB_BLOCK_DEVICE_CONFIG: config }, imageSize: '400M', elements: [] })).catch((e: unknown) => e);
    expect(isKilnError(err, 'KILN_ASSEMBLY_TOOL_FAILED')).toBe(true);
    expect(tracker.history.filter((r) => r.kind === 'loop')).toHaveLength(1);
    await expectNothingLeft();
  });
});

