/**
 * `kiln boot-test IMAGE [--timeout S] [--expect REGEX] [--format F] [--firmware bios|uefi] [--block-size 512|4096] [--log FILE] [--memory MIB]`
 * Exit 0 when the expected text appeared, 1 when it did not (timeout, qemu
 * exited), 2 on a usage error. Prints one result line; the serial log stays.
 */
import { bootTest, type BootTestOptions } from '../../assembly/boot-test.js';
import { KilnError } from '../../errors/kiln-error.js';
import { FIRMWARES, type Firmware } from '../../assembly/uefi-firmware.js';

export const USAGE = 'usage: kiln boot-test IMAGE [--timeout SECONDS] [--expect REGEX] [--format FMT] [--firmware bios|uefi] [--block-size 512|4096] [--log FILE] [--memory MIB]';

export async function run(argv: string[]): Promise<number> {
  let options: BootTestOptions;
  try {
    options = parseBootTestArgs(argv);
  } catch (err) {
    process.stderr.write(`kiln boot-test: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await bootTest({ ...options, signal: abort.signal });
    const what = result.ok ? `matched "${result.matched}"` : result.reason;
    process.stdout.write(`boot-test ${result.ok ? 'passed' : 'FAILED'}: ${what} after ${result.seconds.toFixed(1)} s (serial log: ${result.logFile})\n`);
    return result.ok ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

export class UsageError extends KilnError {
  constructor(message: string) {
    super('KILN_USAGE', message, { permanent: true });
  }
}

export function parseBootTestArgs(argv: readonly string[]): BootTestOptions {
  const positional: string[] = [];
  const opts: Partial<BootTestOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const [flag, inline] = arg.startsWith('--') && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--timeout': opts.timeoutSeconds = positiveNumber(flag, value()); break;
      case '--memory': opts.memoryMiB = positiveNumber(flag, value()); break;
      case '--expect': {
        const v = value();
        try {
          opts.expect = new RegExp(v);
        } catch {
          throw new UsageError(`--expect: invalid regular expression ${v}`);
        }
        break;
      }
      case '--format': opts.format = value(); break;
      case '--firmware': {
        const v = value();
        if (!FIRMWARES.includes(v as Firmware)) throw new UsageError(`--firmware must be ${FIRMWARES.join(' or ')}, got ${v}`);
        opts.firmware = v as Firmware;
        break;
      }
      case '--block-size': {
        const v = value();
        if (v !== '512' && v !== '4096') throw new UsageError(`--block-size must be 512 or 4096, got ${v}`);
        opts.blockSize = Number(v) as 512 | 4096;
        break;
      }
      case '--log': opts.logFile = value(); break;
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError('exactly one IMAGE is required');
  return { ...opts, image: positional[0] as string };
}

function positiveNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got ${v}`);
  return n;
}
