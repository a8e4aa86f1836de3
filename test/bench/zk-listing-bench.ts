/**
 * Benchmark (issue 2): seed 10,000 builds and 50,000 uploads into a real
 * ZooKeeper, then time `kiln dib-image-list --json` and `kiln image-list --json`
 * as whole commands (process start, config load, connect, tree sweep, JSON).
 * Target: under 2 s each. Prints figures; asserts nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { startZooKeeper } from '../../src/zk/zookeeper-server.js';
import { ZkClient } from '../../src/zk/zk-client.js';
import { freePort } from '../../src/util/free-port.js';
import { createLimiter } from '../../src/model/limiter.js';
import { serializeImageBuild } from '../../src/model/image-build.js';
import { serializeImageUpload } from '../../src/model/image-upload.js';

const IMAGES = 100;
const BUILDS_PER_IMAGE = 100; // 10,000 builds
const PROVIDERS = ['cloud-a', 'cloud-b'];
const UPLOADS_PER_PROVIDER = [3, 2]; // 5 per build: 50,000 uploads
const RUNS = 5;
const TARGET_SECONDS = 2;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-zk-'));
  const server = await startZooKeeper({ dir: join(dir, 'zk'), clientPort: await freePort() });
  try {
    const seedStart = performance.now();
    const counts = await seed(server.clientPort);
    console.log(`seeded ${counts.builds} builds, ${counts.uploads} uploads (${counts.znodes} znodes) in ${secs(performance.now() - seedStart)}`);

    const config = join(dir, 'nodepool.yaml');
    await writeFile(
      config,
      `images-dir: ${join(dir, 'images')}\nbuild-log-dir: ${join(dir, 'logs')}\nzookeeper-servers:\n  - host: 127.0.0.1\n    port: ${server.clientPort}\n`,
    );
    for (const command of ['dib-image-list', 'image-list']) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const { stdout } = await execa('node', ['bin/kiln.js', '-c', config, command, '--json']);
        times.push(performance.now() - start);
        rows = (JSON.parse(stdout) as unknown[]).length;
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] as number;
      console.log(
        `kiln ${command} --json: ${rows} rows; median ${secs(median)} (min ${secs(times[0] as number)}, max ${secs(times[times.length - 1] as number)}) over ${RUNS} runs; target < ${TARGET_SECONDS} s: ${median / 1000 < TARGET_SECONDS ? 'MET' : 'MISSED'} (${(median / 1000 / TARGET_SECONDS).toFixed(2)}× the target)`,
      );
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the tree with many requests in flight (parents before children). */
async function seed(port: number): Promise<{ builds: number; uploads: number; znodes: number }> {
  const zk = await ZkClient.connect({ servers: [{ host: '127.0.0.1', port }] });
  const limit = createLimiter(512);
  let znodes = 0;
  const create = (path: string, data = ''): Promise<string> => {
    znodes++;
    return limit(() => zk.create(path, data));
  };
  const now = Date.now() / 1000;
  try {
    await zk.ensurePath('/nodepool/images');
    await Promise.all(
      Array.from({ length: IMAGES }, async (_, i) => {
        const image = `image-${String(i).padStart(3, '0')}`;
        await create(`/nodepool/images/${image}`);
        await create(`/nodepool/images/${image}/builds`);
        await create(`/nodepool/images/${image}/builds/lock`);
        await Promise.all(
          Array.from({ length: BUILDS_PER_IMAGE }, async (_, b) => {
            const buildId = `${i.toString(16).padStart(4, '0')}${b.toString(16).padStart(4, '0')}${'0'.repeat(24)}`;
            const buildPath = `/nodepool/images/${image}/builds/${buildId}`;
            await create(
              buildPath,
              serializeImageBuild({
                state: 'ready', stateTime: now - b * 60, builder: 'nb01.example.org', builderId: 'bench',
                formats: ['qcow2', 'raw'], username: 'zuul', pythonPath: 'auto', shellType: null,
              }),
            );
            await create(`${buildPath}/providers`);
            await Promise.all(
              PROVIDERS.map(async (provider, p) => {
                const uploads = `${buildPath}/providers/${provider}/images`;
                await create(`${buildPath}/providers/${provider}`);
                await create(uploads);
                await create(`${uploads}/lock`);
                await Promise.all(
                  Array.from({ length: UPLOADS_PER_PROVIDER[p] as number }, (_, u) =>
                    create(
                      `${uploads}/${String(u + 1).padStart(10, '0')}`,
                      serializeImageUpload({
                        state: 'ready', stateTime: now - u * 60, externalId: `ext-${i}-${b}-${p}-${u}`,
                        externalName: `${image}-${Math.trunc(now)}`, format: 'qcow2', username: 'zuul', pythonPath: 'auto', shellType: null,
                      }),
                    ),
                  ),
                );
              }),
            );
          }),
        );
      }),
    );
  } finally {
    await zk.close();
  }
  const builds = IMAGES * BUILDS_PER_IMAGE;
  return { builds, uploads: builds * UPLOADS_PER_PROVIDER.reduce((a, b) => a + b, 0), znodes };
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

await main();
