/**
 * How a `kiln` subcommand is described. Most commands take parsed options and
 * a CliContext (config, ZooKeeper); `raw` commands (disk-image-create,
 * boot-test, cleanup) parse their own argv, as DIB's tools do.
 */
import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './cli-context.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
  /** e.g. "IMAGE" or "--provider P --image I --build-id B --upload-id U" */
  usage: string;
  options?: OptionSpec;
  /** exact number, or [min, max] */
  positionals?: number | [number, number];
  run(ctx: CliContext, args: ParsedCommand): Promise<number>;
}

export interface RawCommand {
  name: string;
  summary: string;
  raw: true;
  run(argv: string[]): Promise<number>;
}
