/**
 * Signals the builder process handles:
 * - SIGTERM (what systemd, Kubernetes and `docker stop` send) and SIGINT
 *   (upstream's graceful stop): stop taking work, cancel running builds and
 *   uploads, record them failed, release locks, exit. Upstream leaves SIGTERM
 *   unhandled (immediate death); handling it leaves ZooKeeper tidy.
 * - a second SIGTERM/SIGINT while stopping: exit at once (status 1); the next
 *   start, or any builder's cleanup, deals with what was left.
 */
import type { Logger } from 'pino';

const GRACEFUL = ['SIGTERM', 'SIGINT'] as const;

export function installSignalHandlers(stop: () => Promise<void>, logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting at once');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal }, 'stopping (send the signal again to exit at once)');
    stop().catch((err: unknown) => {
      logger.error({ err }, 'graceful stop failed');
      exit(1);
    });
  };
  for (const signal of GRACEFUL) process.on(signal, onSignal);
  return () => {
    for (const signal of GRACEFUL) process.off(signal, onSignal);
  };
}
