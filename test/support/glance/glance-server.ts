/**
 * A real Debian glance-api on 127.0.0.1 for tests (glance-api.md §7): a temp
 * directory with its config, sqlite DB, file store and staging area, the
 * `trusted` pipeline (Glance's context middleware without authtoken; the
 * proxy in glance-proxy.ts plays keystonemiddleware and sets the identity
 * headers). stop() kills the parent by PID (its worker exits with it) and
 * removes the directory.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort } from '../../../src/util/free-port.js';

export interface GlanceServer {
  /** http://127.0.0.1:<port> (unauthenticated: go through a GlanceProxy) */
  url: string;
  port: number;
  dir: string;
  pid: number;
  /** the last lines of glance-api's log, for failure messages */
  logTail(lines?: number): Promise<string>;
  stop(): Promise<void>;
}

export const GLANCE_API = '/usr/bin/glance-api';
export const GLANCE_MANAGE = '/usr/bin/glance-manage';

/** Identity headers keystonemiddleware would set for an admin of `projectId`. */
export function identityHeaders(projectId: string): Record<string, string> {
  return {
    'x-identity-status': 'Confirmed',
    'x-project-id': projectId,
    'x-user-id': 'nodepool',
    'x-roles': 'admin,member,reader',
  };
}

export interface GlanceServerOptions {
  /**
   * Glance's stock `unauthenticated-context` pipeline: every request runs as
   * admin without identity headers, so a client can talk to it directly
   * (benchmarks). glance-direct import does not work in this mode.
   */
  unauthenticated?: boolean;
}

export async function startGlance(options: GlanceServerOptions = {}): Promise<GlanceServer> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-test-glance-'));
  let child: ResultPromise | undefined;
  try {
    const port = await freePort();
    await writeConfig(dir, port, options.unauthenticated ? '' : 'trusted');
    const conf = join(dir, 'glance-api.conf');
    await execa(GLANCE_MANAGE, ['--config-file', conf, 'db_sync'], { timeout: 120_000 });
    // detached: its own process group, so the test runner's signals do not reach it before stop()
    child = execa(GLANCE_API, ['--config-file', conf], { detached: true, stdio: 'ignore', reject: false });
    const pid = child.pid as number;
    const url = `http://127.0.0.1:${port}`;
    const exited = child.then(() => true);
    await waitReady(port, exited, () => tail(dir, 30));
    const running = child;
    return {
      url,
      port,
      dir,
      pid,
      logTail: (lines = 30) => tail(dir, lines),
      async stop() {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const killer = setTimeout(() => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone
          }
        }, 10_000);
        await running;
        clearTimeout(killer);
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child?.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // gone
      }
      await child;
    }
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function writeConfig(dir: string, port: number, flavor: string): Promise<void> {
  for (const sub of ['images', 'staging', 'log', 'lock']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(
    join(dir, 'glance-api.conf'),
    `[DEFAULT]
bind_host = 127.0.0.1
bind_port = ${port}
workers = 1
log_file = ${dir}/log/glance-api.log
enabled_import_methods = [glance-direct,web-download]
node_staging_uri = file://${dir}/staging
public_endpoint = http://127.0.0.1:${port}

[database]
connection = sqlite:///${dir}/glance.sqlite

[glance_store]
stores = file,http
default_store = file
filesystem_store_datadir = ${dir}/images/

[paste_deploy]
flavor = ${flavor}
config_file = ${dir}/api-paste.ini

[oslo_concurrency]
lock_path = ${dir}/lock
`,
  );
  await copyFile('/etc/glance/glance-api-paste.ini', join(dir, 'api-paste.ini'));
  await appendFile(
    join(dir, 'api-paste.ini'),
    '\n[pipeline:glance-api-trusted]\npipeline = cors healthcheck http_proxy_to_wsgi versionnegotiation osprofiler context rootapp\n',
  );
}

/** Polls until `GET /` answers (300 with identity headers); fails early if glance-api exits. */
async function waitReady(port: number, exited: Promise<boolean>, log: () => Promise<string>): Promise<void> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`glance-api exited during startup:\n${await log()}`);
    if ((await probe(port)) !== 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`glance-api did not answer on 127.0.0.1:${port} within 90 s:\n${await log()}`);
}

function probe(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: identityHeaders('probe') }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function tail(dir: string, lines: number): Promise<string> {
  try {
    return (await readFile(join(dir, 'log', 'glance-api.log'), 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
