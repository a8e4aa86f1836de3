/**
 * `kiln`: Nodepool's image commands (same columns and messages, plus
 * `--json`), and Kiln's own (disk-image-create, boot-test, builder, …).
 *
 *   kiln [-c CONFIG] [-s SECURE] [--json] COMMAND [ARGS]
 *
 * Global options may also follow the command. Exit status: 0 success, 1 a
 * refused request or failure, 2 a usage error.
 */
import { parseArgs } from 'node:util';
import { isKilnError } from '../errors/kiln-error.js';
import { CliContext, type Output } from './cli-context.js';
import type { Command, OptionSpec, RawCommand } from './command.js';
import { CliError } from './cli-error.js';
import { commands } from './commands/index.js';

const DEFAULT_CONFIG = '/etc/nodepool/nodepool.yaml';

const GLOBAL_OPTIONS: OptionSpec = {
  config: { type: 'string', short: 'c' },
  secure: { type: 'string', short: 's' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
};

const stdio: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export async function main(argv: string[], io: Output = stdio): Promise<number> {
  const commandIndex = findCommandIndex(argv);
  const name = commandIndex < 0 ? undefined : argv[commandIndex];
  const command = commands.find((c) => c.name === name);

  if (command && 'raw' in command) return (command as RawCommand).run(argv.slice(commandIndex + 1));

  let ctx: CliContext | undefined;
  try {
    if (!command) {
      const pre = parseArgs({ args: argv, options: GLOBAL_OPTIONS, allowPositionals: true, strict: false });
      if (pre.values.version) {
        io.out(`kiln ${await version()}`);
        return 0;
      }
      if (pre.values.help || name === undefined || name === 'help') {
        io.out(usage());
        return name === undefined && !pre.values.help ? 2 : 0;
      }
      throw new CliError('KILN_CLI_USAGE', `unknown command ${JSON.stringify(name)}; run kiln --help for the list`, 2);
    }
    const parsed = parseCommandArgs(command as Command, argv, commandIndex);
    if (parsed.values.help) {
      io.out(`usage: kiln ${command.name} ${(command as Command).usage}\n\n${command.summary}`);
      return 0;
    }
    ctx = new CliContext(
      {
        configPath: (parsed.values.config as string | undefined) ?? DEFAULT_CONFIG,
        securePath: parsed.values.secure as string | undefined,
        json: parsed.values.json === true,
      },
      io,
    );
    return await (command as Command).run(ctx, parsed);
  } catch (err) {
    return reportError(err, io);
  } finally {
    await ctx?.close();
  }
}

/** Index of the first positional, skipping global options and their values. */
function findCommandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '-c' || arg === '-s' || arg === '--config' || arg === '--secure') i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}

function parseCommandArgs(command: Command, argv: string[], commandIndex: number) {
  const args = [...argv.slice(0, commandIndex), ...argv.slice(commandIndex + 1)];
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError('KILN_CLI_USAGE', `${command.name}: ${(err as Error).message}\nusage: kiln ${command.name} ${command.usage}`, 2);
  }
  const [min, max] = Array.isArray(command.positionals) ? command.positionals : [command.positionals ?? 0, command.positionals ?? 0];
  if (!parsed.values.help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    throw new CliError('KILN_CLI_USAGE', `usage: kiln ${command.name} ${command.usage}`.trimEnd(), 2);
  }
  return { values: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals };
}

function reportError(err: unknown, io: Output): number {
  if (err instanceof CliError) {
    io.err(err.message);
    return err.exitCode;
  }
  if (isKilnError(err)) {
    io.err(`kiln: ${err.message} [${err.code}]`);
    return 1;
  }
  io.err(`kiln: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
}

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: kiln [-c CONFIG] [-s SECURE] [--json] COMMAND [ARGS]',
    '',
    `  -c CONFIG   nodepool.yaml (default ${DEFAULT_CONFIG})`,
    '  -s SECURE   secure config file merged over it',
    '  --json      listings as JSON (the shapes of nodepool\'s webapp)',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

async function version(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
