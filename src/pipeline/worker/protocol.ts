/**
 * The typed protocol between `kiln disk-image-create` (parent) and its build
 * worker (child), over Node IPC. The parent never parses free text from the
 * child: every event is one of these messages. Cancelling is not a message:
 * the parent kills the worker's process group and undoes the build from its
 * state file (the same path as after a SIGKILL), so a hung worker cannot
 * block a cancel.
 */
import type { BuildPlan } from '../build/build-plan.js';
import type { Digests } from '../../assembly/outputs/digest.js';

export enum ChildCommand {
  /** run this build */
  Start = 'start',
}

export enum ParentMessage {
  /** the worker is up and owns the state file */
  Ready = 'ready',
  PhaseStart = 'phase-start',
  PhaseEnd = 'phase-end',
  ScriptStart = 'script-start',
  ScriptEnd = 'script-end',
  /** a named internal step (hooks, mounts, assembly steps…) */
  StepStart = 'step-start',
  StepEnd = 'step-end',
  Log = 'log',
  Progress = 'progress',
  Result = 'result',
  Error = 'error',
}

export type ChildCommandMessage = { type: ChildCommand.Start; plan: BuildPlan };

export type LogStream = 'stdout' | 'stderr' | 'kiln';

export type ParentMessageBody =
  | { type: ParentMessage.Ready; pid: number }
  | { type: ParentMessage.PhaseStart; phase: string; placement: 'host' | 'chroot' }
  | { type: ParentMessage.PhaseEnd; phase: string; seconds: number; ok: boolean }
  | { type: ParentMessage.ScriptStart; phase: string; script: string }
  | { type: ParentMessage.ScriptEnd; phase: string; script: string; exitCode: number; seconds: number }
  | { type: ParentMessage.StepStart; step: string }
  | { type: ParentMessage.StepEnd; step: string; seconds: number }
  | { type: ParentMessage.Log; stream: LogStream; line: string; phase?: string }
  | { type: ParentMessage.Progress; done: number; total: number; phase: string }
  | { type: ParentMessage.Result; outputs: Record<string, string>; checksums: Record<string, Digests>; treeDir?: string; manifestDir: string; timings: Timing[] }
  | { type: ParentMessage.Error; code: string; message: string; permanent: boolean; phase?: string; script?: string; keptDir?: string };

export interface Timing {
  kind: 'phase' | 'script' | 'step';
  name: string;
  seconds: number;
}

export function isChildCommand(value: unknown): value is ChildCommandMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === ChildCommand.Start;
}

export function isParentMessage(value: unknown): value is ParentMessageBody {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' && (Object.values(ParentMessage) as string[]).includes(type);
}
