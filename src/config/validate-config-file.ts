/**
 * What `kiln config-validate` runs: a full load (schema, cross-references,
 * secure file), turned into a result instead of an exception. Exit code 0 when
 * `ok`, else 1, like upstream's `nodepool config-validate`.
 */
import { ConfigError } from '../errors/config-error.js';
import { loadConfig } from './load-config.js';
import type { NodepoolConfig } from './types.js';

export interface ConfigValidationResult {
  ok: boolean;
  /** one line per problem, each `<file>: <key path>: <problem>` */
  errors: string[];
  /** the ConfigError code when not ok */
  code: string | null;
  config: NodepoolConfig | null;
}

export async function validateConfigFile(
  path: string,
  securePath?: string | null,
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<ConfigValidationResult> {
  try {
    const config = await loadConfig(path, { securePath: securePath ?? null, env: options.env });
    return { ok: true, errors: [], code: null, config };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ok: false, errors: err.message.split('\n'), code: err.code, config: null };
  }
}
