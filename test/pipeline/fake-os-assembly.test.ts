import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildSandbox } from './support/build-sandbox.js';

/** fake-os through the pipeline AND disk assembly: the files nodepool-builder expects. */
describe('fake-os to image files', () => {
  let sandbox: BuildSandbox;
  beforeAll(async () => {
    sandbox = await BuildSandbox.create('kiln-fake-asm-');
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('writes <out>.<fmt>, checksums and <out>.d/, and leaves nothing behind', async () => {
    const out = join(sandbox.outDir, 'fake');
    const result = await sandbox.build(['-x', '-t', 'tar,raw,qcow2', '--checksum', '--no-tmpfs', '--qemu-img-options', 'compat=0.10', '-o', out, 'fake-os']);
    if (result.exitCode !== 0) throw new Error(result.output);
    for (const fmt of ['tar', 'raw', 'qcow2']) {
      expect(result.outputs[fmt]).toBe(`${out}.${fmt}`);
      expect(existsSync(`${out}.${fmt}`)).toBe(true);
    }
    for (const fmt of ['raw', 'qcow2']) {
      const md5 = readFileSync(`${out}.${fmt}.md5`, 'utf8');
      const actual = (await execa('md5sum', [`${out}.${fmt}`])).stdout.split(' ')[0] as string;
      expect(md5.startsWith(actual)).toBe(true);
    }
    expect(existsSync(`${out}.tar.md5`)).toBe(false); // DIB checksums images, not the tar
    const listing = (await execa('tar', ['-tf', `${out}.tar`])).stdout;
    expect(listing).toMatch(/^\.\/fake-os$/m);
    expect(listing).not.toMatch(/in_target\.d/);
    expect(existsSync(join(`${out}.d`, 'dib-manifests', 'dib_arguments'))).toBe(true);
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
  }, 120_000);

  it('DIB_CHECKSUM from the environment selects the checksum files without --checksum (as nodepool env-vars set it)', async () => {
    const out = join(sandbox.outDir, 'envsum');
    const result = await sandbox.build(['-t', 'raw', '--no-tmpfs', '-o', out, 'fake-os'], { DIB_CHECKSUM: 'sha256' });
    if (result.exitCode !== 0) throw new Error(result.output);
    const sha256 = (await execa('sha256sum', [`${out}.raw`])).stdout.split(' ')[0] as string;
    expect(readFileSync(`${out}.raw.sha256`, 'utf8')).toBe(`${sha256}  ${out}.raw\n`);
    expect(existsSync(`${out}.raw.md5`)).toBe(false);
  }, 120_000);

  it('a bad DIB_CHECKSUM is refused before anything is built', async () => {
    const out = join(sandbox.outDir, 'badsum');
    const result = await sandbox.build(['-t', 'raw', '--no-tmpfs', '-o', out, 'fake-os'], { DIB_CHECKSUM: 'yes' });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('DIB_CHECKSUM must be 0, 1 or a comma list of md5 and sha256, got "yes"');
    expect(existsSync(`${out}.raw`)).toBe(false);
    expect(await sandbox.leftovers()).toEqual({ mounts: [], tmp: [], states: [] });
  }, 60_000);
});
