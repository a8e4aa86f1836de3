/**
 * Boots an image in qemu-system-x86_64 under TCG (KVM hangs on our machines,
 * toolchain.md §9), `-snapshot` so the image is never modified, with BIOS
 * (SeaBIOS, the default) or UEFI (OVMF, uefi-firmware.ts) firmware, serial
 * console to a log file, and succeeds when the expected text (default a login prompt)
 * appears in time. qemu runs in its own process group, which is always killed:
 * on success, timeout, abort, error, and when this process exits.
 */
import { execa } from 'execa';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { once } from 'node:events';
import { KilnError } from '../errors/kiln-error.js';
import { uefiFirmware, type Firmware } from './uefi-firmware.js';

export interface BootTestOptions {
  image: string;
  /** qemu format (raw, qcow2, vpc…); default from the extension, else probed with qemu-img info */
  format?: string;
  /** default 240 s */
  timeoutSeconds?: number;
  /** default /login:/ */
  expect?: RegExp;
  /** serial log path; default a new temp file */
  logFile?: string;
  memoryMiB?: number;
  /** default bios; uefi boots through OVMF (a GPT image with an ESP, e.g. block-device-efi) */
  firmware?: Firmware;
  /** the disk's logical sector size: 4096 attaches it as a virtio disk with 4 KiB sectors (block-device-efi-4k) */
  blockSize?: 512 | 4096;
  signal?: AbortSignal;
  /** called with qemu's pid (= its process group) as soon as it runs, e.g. to track it */
  onProcess?: (pid: number) => void;
}

export interface BootTestResult {
  ok: boolean;
  reason: 'matched' | 'timeout' | 'exited' | 'aborted';
  seconds: number;
  logFile: string;
  /** the matched text */
  matched?: string;
}

export class BootTestError extends KilnError {
  constructor(message: string, cause?: unknown) {
    super('KILN_BOOT_TEST_FAILED_TO_START', message, { cause });
  }
}

export async function bootTest(options: BootTestOptions): Promise<BootTestResult> {
  const format = options.format ?? (await detectFormat(options.image));
  const firmwareFile = options.firmware === 'uefi' ? uefiFirmware() : undefined;
  const logFile = options.logFile ?? join(await mkdtemp(join(tmpdir(), 'kiln-boot-')), 'serial.log');
  const expect = options.expect ?? /login:/;
  const started = Date.now();
  const qemu = execa('qemu-system-x86_64', qemuArgs(options.image, format, options.memoryMiB ?? 1024, firmwareFile, options.blockSize), {
    detached: true, // own process group: we kill qemu and anything it spawned
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
  });
  const pid = qemu.pid;
  if (pid === undefined) throw new BootTestError('qemu-system-x86_64 did not start');
  const killGroup = (): void => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', killGroup);
  options.onProcess?.(pid);
  const log = createWriteStream(logFile);
  try {
    const reason = await watch(qemu, log, expect, (options.timeoutSeconds ?? 240) * 1000, options.signal);
    const seconds = (Date.now() - started) / 1000;
    return { ok: reason.kind === 'matched', reason: reason.kind, seconds, logFile, ...(reason.text ? { matched: reason.text } : {}) };
  } finally {
    killGroup();
    process.removeListener('exit', killGroup);
    await qemu; // reject: false — just reap it
    log.end();
    await once(log, 'close');
  }
}

/** `uefiFirmwareFile`: boot with that OVMF image (`-bios`); absent: QEMU's SeaBIOS. */
export function qemuArgs(image: string, format: string, memoryMiB: number, uefiFirmwareFile?: string, blockSize: 512 | 4096 = 512): string[] {
  const disk = blockSize === 512
    ? ['-drive', `file=${image},format=${format}`]
    : ['-drive', `file=${image},format=${format},if=none,id=disk0`, '-device', `virtio-blk-pci,drive=disk0,logical_block_size=${blockSize},physical_block_size=${blockSize}`];
  return [
    '-accel', 'tcg', '-m', String(memoryMiB), '-smp', '1', '-snapshot', '-no-reboot',
    ...(uefiFirmwareFile ? ['-bios', uefiFirmwareFile] : []),
    '-display', 'none', '-monitor', 'none', '-serial', 'stdio',
    ...disk,
    '-nic', 'none',
  ];
}

type WatchResult = { kind: BootTestResult['reason']; text?: string };

function watch(
  qemu: ReturnType<typeof execa>,
  log: NodeJS.WritableStream,
  expect: RegExp,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<WatchResult> {
  return new Promise((resolve) => {
    let seen = '';
    const done = (r: WatchResult): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const timer = setTimeout(() => done({ kind: 'timeout' }), timeoutMs);
    const onAbort = (): void => done({ kind: 'aborted' });
    if (signal?.aborted) return done({ kind: 'aborted' });
    signal?.addEventListener('abort', onAbort);
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      // Keep a tail only: the expected text may span two chunks, not the whole boot.
      seen = (seen + chunk.toString('latin1')).slice(-8192);
      const m = expect.exec(seen);
      if (m) done({ kind: 'matched', text: m[0] });
    };
    qemu.stdout?.on('data', onData);
    qemu.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    void Promise.resolve(qemu).then(() => done({ kind: 'exited' }));
  });
}

async function detectFormat(image: string): Promise<string> {
  const byExt: Record<string, string> = { '.raw': 'raw', '.img': 'raw', '.qcow2': 'qcow2', '.vhd': 'vpc', '.vmdk': 'vmdk', '.vdi': 'vdi' };
  const known = byExt[extname(image)];
  if (known) return known;
  try {
    const { stdout } = await execa('qemu-img', ['info', '--output=json', image]);
    return (JSON.parse(stdout) as { format: string }).format;
  } catch (err) {
    throw new BootTestError(`cannot determine the format of ${image}`, err);
  }
}
