import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Digester, hashFile, type Digests } from '../../src/assembly/outputs/digest.js';
import { pump, readChunks } from '../../src/assembly/outputs/pump.js';
import { gzipCommand } from '../../src/assembly/outputs/gzip-command.js';

function expected(bytes: Uint8Array): { md5: string; sha256: string } {
  return { md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function hashInPieces(bytes: Buffer, sizes: number[]): Promise<{ digests: Digests; waits: number }> {
  const pair = new Digester(['md5', 'sha256']);
  let waits = 0;
  try {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const n = sizes[i % sizes.length] as number;
      const wait = pair.update(bytes.subarray(at, at + n));
      at += n;
      if (wait) {
        waits++;
        await wait;
      }
    }
    return { digests: await pair.digest(), waits };
  } finally {
    await pair.destroy();
  }
}

describe('Digester (hashing in worker threads)', () => {
  it('hashes an empty stream', async () => {
    expect((await hashInPieces(Buffer.alloc(0), [1])).digests).toEqual(expected(Buffer.alloc(0)));
  });

  it('matches md5/sha256 for small, odd and block-crossing chunks', async () => {
    const bytes = randomBytes(9 * 1024 * 1024 + 777);
    expect((await hashInPieces(bytes, [1, 65536, 4093, 5 * 1024 * 1024])).digests).toEqual(expected(bytes));
  });

  it('asks the caller to wait when many blocks are in flight, and stays correct', async () => {
    const bytes = randomBytes(64 * 1024 * 1024);
    const { digests, waits } = await hashInPieces(bytes, [4 * 1024 * 1024]);
    expect(digests).toEqual(expected(bytes));
    expect(waits).toBeGreaterThan(0);
  });

  it('copies each chunk: reusing the caller buffer right away does not change the digest', async () => {
    const pair = new Digester(['md5', 'sha256']);
    const reused = Buffer.alloc(100_000);
    const all: Buffer[] = [];
    try {
      for (let i = 0; i < 50; i++) {
        reused.fill(i);
        all.push(Buffer.from(reused));
        await pair.update(reused);
      }
      expect(await pair.digest()).toEqual(expected(Buffer.concat(all)));
    } finally {
      await pair.destroy();
    }
  });

  it('computes only the kinds asked for (DIB_CHECKSUM=sha256)', async () => {
    const bytes = randomBytes(5 * 1024 * 1024 + 3);
    const digester = new Digester(['sha256']);
    try {
      await digester.update(bytes);
      expect(await digester.digest()).toEqual({ sha256: expected(bytes).sha256 });
    } finally {
      await digester.destroy();
    }
  });

  it('after destroy, further use fails as cancelled', async () => {
    const pair = new Digester(['md5', 'sha256']);
    pair.update(randomBytes(1024));
    await pair.destroy();
    await expect(pair.digest()).rejects.toMatchObject({ code: 'KILN_ASSEMBLY_CANCELLED' });
  });
});

describe('hashFile (read straight into the hashers)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-hashfile-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes files of every size around the block size, sparse ones included', async () => {
    for (const size of [0, 1, 4 * 1024 * 1024, 4 * 1024 * 1024 + 1, 13 * 1024 * 1024 + 77]) {
      const bytes = randomBytes(size);
      const path = join(dir, `f${size}`);
      await writeFile(path, bytes);
      expect(await hashFile(path, ['md5', 'sha256'])).toEqual(expected(bytes));
    }
    const sparse = join(dir, 'sparse');
    await writeFile(sparse, Buffer.from('head'));
    await truncate(sparse, 9 * 1024 * 1024);
    expect(await hashFile(sparse, ['md5'])).toEqual({ md5: expected(await readFile(sparse)).md5 });
  });

  it('asks for nothing → hashes nothing', async () => {
    await writeFile(join(dir, 'x'), 'x');
    expect(await hashFile(join(dir, 'x'), [])).toBeUndefined();
  });

  it('an aborted signal stops it as cancelled', async () => {
    await writeFile(join(dir, 'big'), randomBytes(20 * 1024 * 1024));
    const abort = new AbortController();
    abort.abort();
    await expect(hashFile(join(dir, 'big'), ['md5', 'sha256'], abort.signal)).rejects.toMatchObject({ code: 'KILN_ASSEMBLY_CANCELLED' });
  });
});

describe('pump with hashing', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-digest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the bytes and returns their digests', async () => {
    const bytes = randomBytes(10 * 1024 * 1024 + 5);
    await writeFile(join(dir, 'in'), bytes);
    const out = join(dir, 'out');
    const digests = await pump(readChunks(join(dir, 'in'), 1024 * 1024), { files: [out], hash: ['md5', 'sha256'] });
    expect(digests).toEqual(expected(bytes));
    expect((await readFile(out)).equals(bytes)).toBe(true);
  });

  it('an abort mid-stream rejects (and ends the hashing workers)', async () => {
    const abort = new AbortController();
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield randomBytes(1024);
      abort.abort();
      yield randomBytes(1024);
    }
    await expect(pump(chunks(), { files: [join(dir, 'out')], hash: ['md5', 'sha256'], signal: abort.signal })).rejects.toMatchObject({ code: 'KILN_ASSEMBLY_CANCELLED' });
  });
});

describe('gzipCommand', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-gzip-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('DIB_GZIP_BIN wins', () => {
    expect(gzipCommand({ DIB_GZIP_BIN: 'mygzip' }, dir)).toBe('mygzip');
  });

  it('pigz when it is on the PATH, gzip otherwise', async () => {
    expect(gzipCommand({}, dir)).toBe('gzip');
    await writeFile(join(dir, 'pigz'), '#!/bin/sh\n', { mode: 0o755 });
    expect(gzipCommand({}, `/nonexistent:${dir}`)).toBe('pigz');
  });
});
