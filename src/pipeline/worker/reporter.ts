import { ParentMessage, type LogStream, type ParentMessageBody, type Timing } from './protocol.js';

/** How build code reports events; the worker forwards them over IPC, tests may collect them. */
export interface Reporter {
  send(message: ParentMessageBody): void;
  log(line: string, stream?: LogStream, phase?: string): void;
  /** every phase, script and step duration, for the result and the PROFILING summary */
  readonly timings: Timing[];
}

export function createReporter(send: (message: ParentMessageBody) => void): Reporter {
  const timings: Timing[] = [];
  return {
    timings,
    send(message) {
      if (message.type === ParentMessage.PhaseEnd) timings.push({ kind: 'phase', name: message.phase, seconds: message.seconds });
      if (message.type === ParentMessage.ScriptEnd) timings.push({ kind: 'script', name: `${message.phase}.d/${message.script}`, seconds: message.seconds });
      if (message.type === ParentMessage.StepEnd) timings.push({ kind: 'step', name: message.step, seconds: message.seconds });
      send(message);
    },
    log(line, stream = 'kiln', phase) {
      send(phase === undefined ? { type: ParentMessage.Log, stream, line } : { type: ParentMessage.Log, stream, line, phase });
    },
  };
}

/** Runs `fn` as a named, timed step. */
export async function step<T>(reporter: Reporter, name: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  reporter.send({ type: ParentMessage.StepStart, step: name });
  try {
    return await fn();
  } finally {
    reporter.send({ type: ParentMessage.StepEnd, step: name, seconds: (performance.now() - started) / 1000 });
  }
}
