import type { Command } from '../command.js';
import { validateConfigFile } from '../../config/validate-config-file.js';

/**
 * `config-validate`: exit 0 when the config (and secure file) load and
 * validate; else one line per problem (`<file>: <key path>: <problem>`) and 1.
 */
export const configValidateCommand: Command = {
  name: 'config-validate',
  summary: 'validate the configuration file',
  usage: '',
  positionals: 0,
  async run(ctx) {
    const result = await validateConfigFile(ctx.options.configPath, ctx.options.securePath);
    if (!result.ok) {
      for (const line of result.errors) ctx.io.err(line);
      return 1;
    }
    ctx.io.err('Configuration validation complete');
    return 0;
  },
};
