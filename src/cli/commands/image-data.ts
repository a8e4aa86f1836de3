/**
 * `export-image-data FILE` / `import-image-data FILE` (upstream 3.9): the
 * build and upload znodes as one JSON object {path: data}. The export file is
 * written 0600 through a temp file and a rename, so an existing longer file
 * is never left with trailing garbage (upstream's untruncated-open quirk is a
 * bug; Kiln fixes it).
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Command } from '../command.js';
import { CliError } from '../cli-error.js';
import { exportImageData, importImageData, serializeImageData } from '../../model/image-data-export.js';

export const exportImageDataCommand: Command = {
  name: 'export-image-data',
  summary: 'export build and upload records to a JSON file',
  usage: 'FILE',
  positionals: 1,
  async run(ctx, { positionals }) {
    const file = positionals[0] as string;
    const data = await exportImageData(await ctx.zk());
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      await writeFile(tmp, serializeImageData(data), { mode: 0o600 });
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return 0;
  },
};

export const importImageDataCommand: Command = {
  name: 'import-image-data',
  summary: 'import build and upload records exported by export-image-data (daemons stopped)',
  usage: 'FILE',
  positionals: 1,
  async run(ctx, { positionals }) {
    const file = positionals[0] as string;
    let data: unknown;
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new CliError('KILN_CLI_BAD_INPUT', `${file}: not an image data export: ${(err as Error).message}`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data) || !Object.values(data).every((v) => typeof v === 'string')) {
      throw new CliError('KILN_CLI_BAD_INPUT', `${file}: not an image data export: expected an object mapping znode paths to strings`);
    }
    await importImageData(await ctx.zk(), data as Record<string, string>);
    return 0;
  },
};
