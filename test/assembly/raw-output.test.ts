/**
 * raw: the assembled image hard-linked into place (no bytes copied), hashed
 * by reading it once; across filesystems, copied sparse and hashed as written.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRaw } from '../../src/assembly/outputs/raw-output.js';
import type { OutputJob } from '../../src/assembly/outputs/output-job.js';

const MiB = 1024 * 1024;

describe('writeRaw', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  async function sparseImage(dir: string): Promise<{ image: string; bytes: Buffer }> {
    const image = join(dir, 'image.raw');
    await writeFile(image, Buffer.from('boot sector'));
    await truncate(image, 64 * MiB);
    return { image, bytes: await readFile(image) };
  }

  function job(image: string, target: string, lines: string[]): OutputJob {
    return { image, rootDir: '', targets: { raw: target }, checksums: ['md5', 'sha256'], env: {}, log: (l) => lines.push(l), signal: new AbortController().signal };
  }

  const digestsOf = (bytes: Buffer) => ({ md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') });

  it('on the same filesystem: a hard link of the image, hashed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-raw-'));
    dirs.push(dir);
    const { image, bytes } = await sparseImage(dir);
    const target = join(dir, 'out.raw.partial');
    await writeFile(target, 'stale partial from a killed run');
    const lines: string[] = [];
    const out = await writeRaw(job(image, target, lines));
    expect(out.raw).toEqual(digestsOf(bytes));
    expect((await stat(target)).ino).toBe((await stat(image)).ino);
    expect(lines).toEqual([]);
  });

  it('across filesystems: copied, still sparse, hashed as written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-raw-'));
    const other = await mkdtemp('/dev/shm/kiln-raw-');
    dirs.push(dir, other);
    const { image, bytes } = await sparseImage(dir);
    const target = join(other, 'out.raw.partial');
    const lines: string[] = [];
    const out = await writeRaw(job(image, target, lines));
    expect(out.raw).toEqual(digestsOf(bytes));
    const st = await stat(target);
    expect(st.ino).not.toBe((await stat(image)).ino);
    expect(st.size).toBe(64 * MiB);
    expect(st.blocks * 512).toBeLessThan(8 * MiB);
    expect((await readFile(target)).equals(bytes)).toBe(true);
    expect(lines.join('\n')).toContain('(EXDEV); copying');
  });
});
