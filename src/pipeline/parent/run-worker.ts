import { execaNode } from 'execa';
import type { BuildPlan } from '../build/build-plan.js';
import { ChildCommand, type ChildCommandMessage, isParentMessage, ParentMessage, type ParentMessageBody } from '../worker/protocol.js';
import { workerEntry } from '../paths.js';
import type { StateFileTracker } from '../../resources/state-file-tracker.js';

export type WorkerEnd =
  | { kind: 'result'; message: Extract<ParentMessageBody, { type: ParentMessage.Result }> }
  | { kind: 'error'; message: Extract<ParentMessageBody, { type: ParentMessage.Error }> }
  | { kind: 'cancelled'; reason: 'signal' | 'timeout'; signal?: string }
  | { kind: 'crashed'; exitCode: number | undefined; signal: string | undefined; stderr: string };

export interface WorkerControl {
  /** every message from the worker, in order */
  onMessage: (message: ParentMessageBody) => void;
  /** aborting kills the worker's process group at once */
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * Starts the build worker in its own process group, hands it the plan over
 * IPC and relays its messages. A cancel (abort signal or timeout) SIGKILLs the
 * whole group; undoing the build is the caller's job (from the state file),
 * whatever way the worker ended.
 */
export async function runWorker(plan: BuildPlan, tracker: StateFileTracker, control: WorkerControl): Promise<WorkerEnd> {
  const worker = execaNode(workerEntry(), [], {
    ipc: true,
    serialization: 'json',
    detached: true, // its own process group: `kill -- -pgid` reaches it and its scripts
    nodeOptions: [],
    stdin: 'ignore',
    stdout: 'ignore',
    stderr: 'pipe',
    reject: false,
    cleanup: false,
  });
  const pid = worker.pid;
  if (pid === undefined) {
    const result = await worker;
    return { kind: 'crashed', exitCode: result.exitCode, signal: result.signal, stderr: String(result.stderr ?? '') };
  }
  // record it before it can create anything; the worker becomes a co-owner of the build
  await tracker.track({ kind: 'process', pid });
  await tracker.addOwner(pid);

  let cancelled: WorkerEnd | undefined;
  const kill = (reason: 'signal' | 'timeout'): void => {
    if (cancelled) return;
    cancelled = { kind: 'cancelled', reason };
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const onAbort = (): void => kill('signal');
  control.signal?.addEventListener('abort', onAbort, { once: true });
  if (control.signal?.aborted) kill('signal');
  const timer = control.timeoutMs !== undefined ? setTimeout(() => kill('timeout'), control.timeoutMs) : undefined;

  let end: WorkerEnd | undefined;
  const relay = (async () => {
    for await (const raw of worker.getEachMessage()) {
      const message: unknown = raw;
      if (!isParentMessage(message)) continue;
      if (message.type === ParentMessage.Result) end = { kind: 'result', message };
      if (message.type === ParentMessage.Error) end = { kind: 'error', message };
      control.onMessage(message);
    }
  })().catch(() => undefined);

  const start: ChildCommandMessage = { type: ChildCommand.Start, plan };
  await worker.sendMessage(start as unknown as Parameters<typeof worker.sendMessage>[0]).catch(() => undefined);
  const result = await worker;
  await relay;
  if (timer) clearTimeout(timer);
  control.signal?.removeEventListener('abort', onAbort);
  await tracker.reload();
  await tracker.release({ kind: 'process', pid });
  if (cancelled) return cancelled;
  return end ?? { kind: 'crashed', exitCode: result.exitCode, signal: result.signal, stderr: String(result.stderr ?? '') };
}
