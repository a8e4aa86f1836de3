import { createWriteStream, type WriteStream } from 'node:fs';
import { ParentMessage, type ParentMessageBody } from '../worker/protocol.js';

/**
 * What the user sees and what goes into --logfile. Every line carries DIB's
 * timestamp prefix (`YYYY-MM-DD HH:MM:SS.mmm | `, off with DIB_NO_TIMESTAMP=1).
 * With --logfile, stdout shows only progress (phase, elapsed) unless
 * DIB_QUIET=0; without it, everything goes to stdout as DIB does.
 */
export class BuildOutput {
  private readonly started = Date.now();
  private readonly file: WriteStream | undefined;
  private readonly quiet: boolean;
  private readonly timestamps: boolean;

  constructor(
    options: { logfile?: string; env: NodeJS.ProcessEnv },
    private readonly out: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    this.file = options.logfile ? createWriteStream(options.logfile, { flags: 'w' }) : undefined;
    this.quiet = options.logfile !== undefined && options.env.DIB_QUIET !== '0';
    this.timestamps = options.env.DIB_NO_TIMESTAMP !== '1';
  }

  handle(message: ParentMessageBody): void {
    switch (message.type) {
      case ParentMessage.Log:
        this.line(message.line, false);
        break;
      case ParentMessage.PhaseStart:
        this.line(`[${this.elapsed()}] phase ${message.phase}.d (${message.placement}) started`, true);
        break;
      case ParentMessage.PhaseEnd:
        this.line(`[${this.elapsed()}] phase ${message.phase}.d ${message.ok ? 'done' : 'FAILED'} in ${message.seconds.toFixed(1)} s`, true);
        break;
      case ParentMessage.Progress:
        this.line(`[${this.elapsed()}] progress ${message.done}/${message.total} (after ${message.phase}.d)`, false);
        break;
      case ParentMessage.ScriptEnd:
        this.line(`${message.phase}.d/${message.script}: exit ${message.exitCode}, ${message.seconds.toFixed(1)} s`, false);
        break;
      case ParentMessage.StepEnd:
        this.line(`[${this.elapsed()}] ${message.step} done in ${message.seconds.toFixed(1)} s`, false);
        break;
      case ParentMessage.Error:
        this.line(`ERROR ${message.code}: ${message.message}`, true);
        break;
      default:
        break;
    }
  }

  /** a line from the parent itself (summary, cleanup), always shown */
  say(text: string): void {
    this.line(text, true);
  }

  elapsed(): string {
    const s = Math.floor((Date.now() - this.started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  }

  async close(): Promise<void> {
    const file = this.file;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }

  private line(text: string, progress: boolean): void {
    const stamped = `${this.timestamps ? `${stamp(new Date())} | ` : ''}${text}\n`;
    this.file?.write(stamped);
    if (!this.quiet || progress) this.out(stamped);
  }
}

function stamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
