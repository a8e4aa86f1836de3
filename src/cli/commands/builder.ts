/**
 * `kiln builder -c FILE [-s SECURE] [--build-workers N] [--upload-workers M]
 * [--label L …] [--metrics-port P [--metrics-host H]] [--cleanup-interval S]`: the
 * nodepool-builder daemon, in the foreground, logging pino JSON to stdout.
 * Returns when stopped by SIGTERM/SIGINT (status 0).
 */
import type { Command } from '../command.js';
import { CliError } from '../cli-error.js';

export const builderCommand: Command = {
  name: 'builder',
  summary: 'run the image builder daemon (nodepool-builder)',
  usage: '[--build-workers N] [--upload-workers M] [--label L]... [--metrics-port P [--metrics-host H]] [--cleanup-interval S]',
  options: {
    'build-workers': { type: 'string' },
    'upload-workers': { type: 'string' },
    label: { type: 'string', multiple: true },
    'metrics-port': { type: 'string' },
    // 127.0.0.1 unless told otherwise (e.g. 0.0.0.0 inside a container)
    'metrics-host': { type: 'string' },
    'cleanup-interval': { type: 'string' },
  },
  positionals: 0,
  async run(ctx, { values }) {
    // The daemon's modules load only for this command (the CLI's listings start faster).
    const [{ pino }, { startBuilder }, { BUILDER_DEFAULTS }, { installSignalHandlers }] = await Promise.all([
      import('pino'),
      import('../../builder/builder-daemon.js'),
      import('../../builder/builder-options.js'),
      import('../../builder/signals.js'),
    ]);
    const logger = pino({ name: 'kiln-builder' });
    const handle = await startBuilder({
      configPath: ctx.options.configPath,
      securePath: ctx.options.securePath ?? null,
      buildWorkers: intOption(values['build-workers'], 'build-workers', 1) ?? BUILDER_DEFAULTS.buildWorkers,
      uploadWorkers: intOption(values['upload-workers'], 'upload-workers', 1) ?? BUILDER_DEFAULTS.uploadWorkers,
      labels: (values['label'] as string[] | undefined) ?? [],
      metricsPort: intOption(values['metrics-port'], 'metrics-port', 0),
      ...(typeof values['metrics-host'] === 'string' ? { metricsHost: values['metrics-host'] } : {}),
      cleanupIntervalSeconds: numberOption(values['cleanup-interval'], 'cleanup-interval') ?? BUILDER_DEFAULTS.cleanupIntervalSeconds,
      logger,
    });
    const uninstall = installSignalHandlers(() => handle.stop(), logger);
    try {
      await handle.stopped;
    } finally {
      uninstall();
    }
    return 0;
  },
};

function intOption(value: unknown, name: string, min: number): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CliError('KILN_CLI_USAGE', `builder: --${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`, 2);
  return n;
}

function numberOption(value: unknown, name: string): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliError('KILN_CLI_USAGE', `builder: --${name} must be a number of seconds >= 0, got ${JSON.stringify(value)}`, 2);
  return n;
}
