/** The tar family's gzip child: its output is kept from the very first byte, and hashed as written. */
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTarFormats } from '../../src/assembly/outputs/tar-outputs.js';

describe('writeTarFormats', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kiln-tar-outputs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what the compressor writes before tar has produced anything (pigz writes its header at once)', async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc/hostname'), 'fake\n');
    // A "gzip" that writes at once, then passes the tar stream through.
    const fakeGzip = join(dir, 'fake-gzip');
    await writeFile(fakeGzip, '#!/bin/sh\nprintf EARLY\nexec cat\n', { mode: 0o755 });
    const targets = { tar: join(dir, 'o.tar'), tgz: join(dir, 'o.tgz') };
    const digests = await writeTarFormats(
      { image: '', rootDir: root, targets, checksums: ['md5', 'sha256'], env: { DIB_GZIP_BIN: fakeGzip }, log: () => {}, signal: new AbortController().signal },
      ['tar', 'tgz'],
    );
    const tar = await readFile(targets.tar);
    const tgz = await readFile(targets.tgz);
    expect(tgz.equals(Buffer.concat([Buffer.from('EARLY'), tar]))).toBe(true);
    expect(digests.tgz).toEqual({ md5: createHash('md5').update(tgz).digest('hex'), sha256: createHash('sha256').update(tgz).digest('hex') });
  });

  it('tar and docker without tgz: tar writes the file itself, docker is the same file, no checksums (as DIB)', async () => {
    const root = join(dir, 'root');
    await mkdir(join(root, 'etc'), { recursive: true });
    await writeFile(join(root, 'etc/hostname'), 'fake\n');
    const targets = { tar: join(dir, 'o.tar'), docker: join(dir, 'o.docker') };
    const lines: string[] = [];
    const digests = await writeTarFormats(
      { image: '', rootDir: root, targets, checksums: ['md5', 'sha256'], env: {}, log: (l) => lines.push(l), signal: new AbortController().signal },
      ['tar', 'docker'],
    );
    expect(digests).toEqual({});
    expect(lines.some((l) => l.includes(`-cf ${targets.tar} .`))).toBe(true);
    expect((await stat(targets.docker)).ino).toBe((await stat(targets.tar)).ino);
    const { stdout } = await execa('tar', ['-tf', targets.tar]);
    expect(stdout.split('\n')).toEqual(expect.arrayContaining(['./', './etc/', './etc/hostname']));
  });
});
