import { diskImageCreate } from '../../pipeline/disk-image-create.js';

/**
 * `kiln disk-image-create [options] ELEMENT...`. SIGINT/SIGTERM cancel the
 * build: the worker's process group is killed and everything it created is
 * undone before the command exits.
 */
export async function run(argv: string[]): Promise<number> {
  const cancel = new AbortController();
  const onSignal = (): void => cancel.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await diskImageCreate(argv, { signal: cancel.signal });
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
