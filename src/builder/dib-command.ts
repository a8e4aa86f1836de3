/**
 * The DIB invocation of upstream _buildImage (nodepool-compat.md 4.3):
 *
 *   <dib-cmd> -x -t <fmt,fmt> --checksum --no-tmpfs [--qemu-img-options compat=0.10] -o <base> <elements…>
 *
 * with the builder's environment plus DIB_RELEASE, DIB_IMAGE_NAME,
 * DIB_IMAGE_FILENAME, ELEMENTS_PATH, then the diskimage's env-vars (which may
 * override all of them). Differences, deliberate:
 * - formats are passed sorted (upstream: set iteration order);
 * - `dib-cmd` left at upstream's default `disk-image-create` while no such
 *   program is on PATH runs Kiln's own pipeline: `node <repo>/bin/kiln.js
 *   disk-image-create`. An installed diskimage-builder still wins, so a host
 *   that has both behaves as upstream does.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiskImage, NodepoolConfig } from '../config/types.js';
import { DEFAULTS } from '../config/defaults.js';
import { shellSplit } from './shell-split.js';

export interface DibCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
}

export interface DibCommandInput {
  image: DiskImage;
  config: Pick<NodepoolConfig, 'elementsDir'>;
  /** `<images-dir>/<image>-<build_id>` */
  base: string;
  /** the builder's environment; default process.env */
  env?: NodeJS.ProcessEnv;
}

export function dibCommand(input: DibCommandInput): DibCommand {
  const { image, base } = input;
  const parentEnv = input.env ?? process.env;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parentEnv)) if (value !== undefined) env[key] = value;
  if (image.release) env['DIB_RELEASE'] = image.release;
  env['DIB_IMAGE_NAME'] = image.name;
  env['DIB_IMAGE_FILENAME'] = base;
  if (input.config.elementsDir) env['ELEMENTS_PATH'] = input.config.elementsDir;
  Object.assign(env, image.envVars);

  const types = [...image.formats].sort().join(',');
  const args = ['-x', '-t', types, '--checksum', '--no-tmpfs'];
  if (types.includes('qcow2')) args.push('--qemu-img-options', 'compat=0.10');
  args.push('-o', base, ...image.elements);

  const [file, ...cmdArgs] = resolveDibCmd(shellSplit(image.dibCmd), env['PATH'] ?? '');
  return { file: file as string, args: [...cmdArgs, ...args], env };
}

/** `disk-image-create` → Kiln's own when no diskimage-builder is installed. */
export function resolveDibCmd(words: string[], path: string): string[] {
  if (words[0] !== DEFAULTS.dibCmd || onPath(DEFAULTS.dibCmd, path)) return words;
  return [process.execPath, kilnEntryPoint(), 'disk-image-create', ...words.slice(1)];
}

/** `<repo>/bin/kiln.js`, found from this compiled file (dist/builder/ or src/builder/). */
export function kilnEntryPoint(): string {
  return fileURLToPath(new URL('../../bin/kiln.js', import.meta.url));
}

function onPath(program: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, program), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
