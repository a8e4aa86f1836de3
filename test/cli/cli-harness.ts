/**
 * Runs `kiln` for tests: in-process through main() with captured output (fast,
 * the default), or as a real process through bin/kiln.js (exit codes, process
 * exit without hanging). Configs point at the test's ZooKeeper chroot.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { main } from '../../src/cli/main.js';
import type { ZkServer } from '../../src/zk/zk-types.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runKiln(args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

export async function runKilnProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await execa('node', ['bin/kiln.js', ...args], { reject: false, env, timeout: 60000 });
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface TempConfig {
  dir: string;
  path: string;
  cleanup(): Promise<void>;
}

/** A nodepool.yaml in a temp dir; `servers` null = no zookeeper-servers (embedded default). */
export async function writeTempConfig(servers: ZkServer[] | null, body: string): Promise<TempConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-cli-test-'));
  const zk = servers
    ? `zookeeper-servers:\n${servers.map((s) => `  - host: ${s.host}\n    port: ${s.port}\n${s.chroot ? `    chroot: ${s.chroot}\n` : ''}`).join('')}`
    : '';
  const path = join(dir, 'nodepool.yaml');
  await writeFile(path, `images-dir: ${join(dir, 'images')}\nbuild-log-dir: ${join(dir, 'logs')}\n${zk}${body}`);
  return { dir, path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Ages print as dd:hh:mm:ss relative to now: keep days and hours, mask the rest. */
export function maskAges(text: string): string {
  return text.replace(/\b(\d{2,}):(\d{2}):\d{2}:\d{2}\b/g, '$1:$2:mm:ss');
}
