/**
 * Benchmark (issue 5): the builder daemon as a real `kiln builder` process
 * with upstream's fake dib-cmd, against its own ZooKeeper (free port, temp
 * dir). Prints; asserts nothing.
 *
 * - request-build → build start: from creating the `request-build` node
 *   (`kiln image-build`) to the new `building` record appearing in
 *   ZooKeeper, seen through a children watch on the image's builds (so the
 *   figure includes one watch notification and one read: an upper bound).
 *   Median of 10; between runs the image is up to date and the daemon idle.
 *   Upstream polls every 10 s: 0–10 s, 5 s on average.
 * - pause → stop: a pause cancels no running build; what it stops is new
 *   builds. The moment that happens is when the scheduler has seen the
 *   ZooKeeper `pause` node (`kiln image-pause`) in a pass: from then on no
 *   request or rebuild-age starts a build. Measured from creating the pause
 *   node to the daemon's `nodepool_builder_image_build_state{image}` gauge
 *   reading 3 (paused) on its /metrics endpoint, polled every 2 ms (the gauge
 *   is set at the end of the pass that saw the pause). Median of 10, the
 *   image idle and unpaused before each. A check afterwards requests a build
 *   of the paused image and confirms none starts within 2 s. Upstream: up to
 *   10 s (its poll).
 * - RSS of the daemon process (/proc/<pid>/status VmRSS, VmHWM): idle after
 *   the first build, and during a build (the fake dib-cmd held on its pause
 *   file). The dib-cmd is a separate process, not counted.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { startZooKeeper } from '../../src/zk/zookeeper-server.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import { freePort } from '../../src/util/free-port.js';
import { ImageStore } from '../../src/model/image-store.js';
import { imageBuildRequestPath, imageBuildsPath } from '../../src/model/paths.js';

const RUNS = 10;
const IMAGE = 'bench-image';
const FAKE_DIB = resolve('test/fixtures/builder/fake-image-create');
const FAKE_ENV_VARS = {
  TMPDIR: '/opt/dib_tmp',
  DIB_IMAGE_CACHE: '/opt/dib_cache',
  DIB_CLOUD_IMAGES: 'http://download.fedoraproject.org/pub/fedora/linux/releases/test/21-Beta/Cloud/Images/x86_64/',
  BASE_IMAGE_FILE: 'Fedora-Cloud-Base-20141029-21_Beta.x86_64.qcow2',
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-builder-'));
  const server = await startZooKeeper({ dir: join(dir, 'zk'), clientPort: await freePort() });
  const imagesDir = join(dir, 'images');
  const pauseFile = join(imagesDir, 'fake-image-create.pause');
  const config = join(dir, 'nodepool.yaml');
  const metricsPort = await freePort();
  await mkdir(imagesDir, { recursive: true });
  await writeFile(
    config,
    stringify({
      'images-dir': imagesDir,
      'build-log-dir': join(dir, 'logs'),
      'zookeeper-servers': [{ host: '127.0.0.1', port: server.clientPort }],
      diskimages: [{ name: IMAGE, elements: ['fedora', 'vm'], release: 21, formats: ['qcow2'], 'dib-cmd': FAKE_DIB, 'env-vars': FAKE_ENV_VARS }],
    }),
  );
  const zk = await ZkClient.connect({ servers: [{ host: '127.0.0.1', port: server.clientPort }] });
  const store = new ImageStore(zk);
  const daemon = execa('node', ['bin/kiln.js', '-c', config, 'builder', '--cleanup-interval', '0', '--metrics-port', String(metricsPort)], {
    reject: false,
    stdout: 'ignore',
    stderr: 'ignore',
  });
  const pid = daemon.pid as number;
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  try {
    await until('the first build ready', async () => (await store.getBuilds(IMAGE, ['ready'])).length > 0, 30000);
    await idle(store);

    // request-build → build start
    const starts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const known = new Set((await zk.getChildren(imageBuildsPath(IMAGE))) ?? []);
      const t0 = performance.now();
      const seen = waitNewChild(zk, imageBuildsPath(IMAGE), known);
      await store.submitBuildRequest(IMAGE);
      await seen;
      starts.push(performance.now() - t0);
      await idle(store);
    }
    report('request-build → build start (building record in ZooKeeper)', starts, 'upstream: 10 s poll, 5 s on average');

    // pause → stop
    const stops: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await store.unpauseImage(IMAGE);
      await until('the gauge idle', async () => (await buildState(metricsUrl)) === 0, 10000);
      const t0 = performance.now();
      await store.pauseImage(IMAGE);
      await until('the gauge paused', async () => (await buildState(metricsUrl)) === 3, 10000, 2);
      stops.push(performance.now() - t0);
    }
    report('pause → stop (scheduler has seen the pause node: no new build starts)', stops, 'upstream: 10 s poll');
    const before = (await zk.getChildren(imageBuildsPath(IMAGE)))?.length ?? 0;
    await store.submitBuildRequest(IMAGE);
    await new Promise((r) => setTimeout(r, 2000));
    const after = (await zk.getChildren(imageBuildsPath(IMAGE)))?.length ?? 0;
    console.log(`check: build requested while paused → ${after === before ? 'no build started in 2 s (correct)' : 'A BUILD STARTED (wrong)'}`);
    await store.unpauseImage(IMAGE);
    await idle(store);

    // RSS idle and during a build
    await new Promise((r) => setTimeout(r, 2000));
    const idleMem = await memory(pid);
    await writeFile(pauseFile, '');
    const known = new Set((await zk.getChildren(imageBuildsPath(IMAGE))) ?? []);
    const seen = waitNewChild(zk, imageBuildsPath(IMAGE), known);
    await store.submitBuildRequest(IMAGE);
    await seen;
    await new Promise((r) => setTimeout(r, 1000));
    const buildMem = await memory(pid);
    await rm(pauseFile);
    await idle(store);
    console.log(`daemon RSS idle:           VmRSS ${mib(idleMem.rss)}, VmHWM ${mib(idleMem.hwm)}`);
    console.log(`daemon RSS during a build: VmRSS ${mib(buildMem.rss)}, VmHWM ${mib(buildMem.hwm)}`);
  } finally {
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 10000);
    await daemon;
    clearTimeout(timer);
    await zk.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Resolves once a child not in `known` exists under `path` (children watch, re-armed each time). */
async function waitNewChild(zk: ZkClient, path: string, known: Set<string>): Promise<string> {
  for (;;) {
    let fired!: () => void;
    const changed = new Promise<void>((r) => (fired = r));
    const children = (await zk.getChildren(path, () => fired())) ?? [];
    const fresh = children.find((c) => !known.has(c) && c !== 'lock');
    if (fresh !== undefined) return fresh;
    await changed;
  }
}

/** The daemon is idle: no request pending, no building record. */
async function idle(store: ImageStore): Promise<void> {
  await until(
    'the daemon idle',
    async () => (await store.zk.exists(imageBuildRequestPath(IMAGE))) === null && (await store.getBuilds(IMAGE, ['building'])).length === 0,
    30000,
  );
}

async function buildState(url: string): Promise<number | null> {
  const text = await (await fetch(url)).text();
  const match = new RegExp(`^nodepool_builder_image_build_state\\{[^}]*image="${IMAGE}"[^}]*\\} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

async function memory(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function report(what: string, samples: number[], upstream: string): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = ((sorted[(RUNS - 1) >> 1] as number) + (sorted[RUNS >> 1] as number)) / 2;
  console.log(`${what}: median ${ms(median)} (min ${ms(sorted[0] as number)}, max ${ms(sorted[sorted.length - 1] as number)}) over ${RUNS} runs; ${upstream}`);
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(1)} MiB`;
}

await main();
