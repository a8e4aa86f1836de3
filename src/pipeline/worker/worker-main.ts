/**
 * The build worker: a child process of `kiln disk-image-create`, started in
 * its own process group. It receives one Start command, continues the state
 * file its parent created, runs the build and reports every event as a typed
 * ParentMessage. It never cleans up after a failure itself: the parent undoes
 * the build from the state file, the same path a SIGKILL takes.
 */
import { getOneMessage, sendMessage } from 'execa';
import { isChildCommand, ParentMessage, type ParentMessageBody } from './protocol.js';
import { createReporter } from './reporter.js';
import { StateFileTracker } from '../../resources/state-file-tracker.js';
import { runBuild } from '../build/run-build.js';
import { isKilnError } from '../../errors/kiln-error.js';

let outbox: Promise<void> = Promise.resolve();
const post = (message: ParentMessageBody): void => {
  outbox = outbox.then(() => sendMessage(message)).catch(() => undefined);
};

async function main(): Promise<number> {
  const command = await getOneMessage();
  if (!isChildCommand(command)) {
    process.stderr.write(`kiln worker: unexpected first message ${JSON.stringify(command)}\n`);
    return 2;
  }
  const { plan } = command;
  const reporter = createReporter(post);
  const tracker = await StateFileTracker.open(plan.stateFile);
  post({ type: ParentMessage.Ready, pid: process.pid });
  try {
    const outcome = await runBuild(plan, tracker, reporter);
    post({ type: ParentMessage.Result, ...outcome, timings: reporter.timings });
    return 0;
  } catch (err) {
    post({
      type: ParentMessage.Error,
      code: isKilnError(err) ? err.code : 'KILN_PIPELINE_INTERNAL',
      message: err instanceof Error ? err.message : String(err),
      permanent: isKilnError(err) ? err.permanent : false,
      ...(plan.keepFailedTree ? { keptDir: plan.tmpDir } : {}),
    });
    if (!isKilnError(err) && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

main().then(
  async (code) => {
    await outbox;
    process.exit(code);
  },
  async (err: unknown) => {
    process.stderr.write(`kiln worker crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    await outbox;
    process.exit(3);
  },
);
