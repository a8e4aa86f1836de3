/**
 * Every host tool of the assembly runs through here: execa, with the request's
 * AbortSignal, and failures turned into an AssemblyError that quotes the tool's
 * own stderr (the build log must say *why* mkfs or qemu-img failed).
 */
import { execa, type Options } from 'execa';
import { AssemblyError } from './assembly-error.js';

export interface ToolContext {
  log: (line: string) => void;
  signal?: AbortSignal;
}

export async function runTool(
  ctx: ToolContext,
  file: string,
  args: readonly string[],
  options: Pick<Options, 'input' | 'cwd' | 'env'> = {},
): Promise<string> {
  throwIfAborted(ctx.signal);
  ctx.log(`$ ${[file, ...args].join(' ')}`);
  try {
    const result = await execa(file, args, {
      ...options,
      ...(ctx.signal ? { cancelSignal: ctx.signal } : {}),
      forceKillAfterDelay: 5000,
      stripFinalNewline: true,
    });
    return String(result.stdout ?? '');
  } catch (err) {
    throwIfAborted(ctx.signal);
    throw toolError(file, args, err);
  }
}

export function toolError(file: string, args: readonly string[], err: unknown): AssemblyError {
  const stderr = (err as { stderr?: unknown }).stderr;
  const detail = typeof stderr === 'string' && stderr.trim() ? stderr.trim().split('\n').slice(-5).join(' | ') : String(err);
  return new AssemblyError('KILN_ASSEMBLY_TOOL_FAILED', `${file} ${args.slice(0, 3).join(' ')}… failed: ${detail}`, { cause: err });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AssemblyError('KILN_ASSEMBLY_CANCELLED', 'assembly cancelled');
}
