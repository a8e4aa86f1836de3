/**
 * Benchmark (issue 6): a 4 GiB raw image (sparse file) uploaded to a real
 * local glance-api by Kiln's OpenStack provider and by `curl -T`, in the
 * same run, both straight to Glance (its unauthenticated pipeline; Kiln
 * still authenticates against the fake Keystone for the catalog). Kiln runs in
 * a child process so its peak RSS is its own. Prints throughputs, the ratio
 * and the RSS; targets: ≥ 0.9× curl, RSS < 150 MB. Asserts nothing.
 *
 *   node dist-bench/test/bench/glance-upload-bench.js [sizeGiB]
 */
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createOpenStackProvider } from '../../src/providers/openstack/index.js';
import type { Provider } from '../../src/config/types.js';
import { startGlanceFixture, type GlanceFixture } from '../support/glance/glance-fixture.js';

const TARGET_RATIO = 0.9;
const TARGET_RSS_MB = 150;
const GiB = 1024 ** 3;

interface ChildInput {
  provider: Provider;
  env: NodeJS.ProcessEnv;
  cwd: string;
  filePath: string;
  md5?: string;
}

async function main(): Promise<void> {
  if (process.argv[2] === '--kiln-child') return kilnChild();
  const sizeGiB = Number(process.argv[2] ?? 4);
  const fx = await startGlanceFixture({ unauthenticated: true });
  const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-glance-'));
  try {
    const filePath = join(dir, 'bench.raw');
    await sparseFile(filePath, sizeGiB * GiB);
    const size = sizeGiB * GiB;
    console.log(`file: ${filePath}, ${sizeGiB} GiB sparse raw; glance-api ${fx.glance.url} (unauthenticated pipeline; Kiln gets it from the fake Keystone's catalog)`);

    const curl = await runCurl(fx, filePath);
    console.log(`curl -T: ${mbps(size, curl)} MB/s (${curl.toFixed(1)} s: PUT …/file only)`);
    // the daemon passes DIB's .md5 value; without one Kiln hashes while it streams
    const md5 = (await execa('md5sum', [filePath])).stdout.split(' ')[0] as string;
    const kiln = await runKiln(fx, filePath, md5);
    console.log(`kiln:    ${mbps(size, kiln.seconds)} MB/s (${kiln.seconds.toFixed(1)} s: authenticate, create, stream, wait active, compare with the .md5); peak RSS ${kiln.rssMb.toFixed(0)} MB`);
    const hashing = await runKiln(fx, filePath, undefined);
    console.log(`kiln, no .md5 (hashes while streaming): ${mbps(size, hashing.seconds)} MB/s (${hashing.seconds.toFixed(1)} s); peak RSS ${hashing.rssMb.toFixed(0)} MB`);

    const ratio = curl / kiln.seconds;
    console.log(
      `kiln/curl throughput: ${ratio.toFixed(2)}× (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'MET' : 'MISSED'}); ` +
        `kiln peak RSS ${Math.max(kiln.rssMb, hashing.rssMb).toFixed(0)} MB (target < ${TARGET_RSS_MB}: ${Math.max(kiln.rssMb, hashing.rssMb) < TARGET_RSS_MB ? 'MET' : 'MISSED'})`,
    );
  } finally {
    await fx.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function runKiln(fx: GlanceFixture, filePath: string, md5: string | undefined): Promise<{ seconds: number; rssMb: number }> {
  const input: ChildInput = { provider: fx.provider('bench', { regionName: 'RegionDirect', rate: 0 }), env: fx.env, cwd: fx.dir, filePath, ...(md5 ? { md5 } : {}) };
  const inputPath = join(fx.dir, 'bench-input.json');
  await writeFile(inputPath, JSON.stringify(input));
  const { stdout } = await execa(process.execPath, [fileURLToPath(import.meta.url), '--kiln-child', inputPath]);
  return JSON.parse(stdout) as { seconds: number; rssMb: number };
}

/** In the child: one upload, then delete; prints {seconds, rssMb}. */
async function kilnChild(): Promise<void> {
  const { readFile } = await import('node:fs/promises');
  const input = JSON.parse(await readFile(process.argv[3] as string, 'utf8')) as ChildInput;
  const provider = createOpenStackProvider(input.provider, { env: input.env, cwd: input.cwd, pollIntervalMs: 200 });
  const start = performance.now();
  const uploaded = await provider.uploadImage({
    imageName: 'bench-kiln',
    filePath: input.filePath,
    format: 'raw',
    metadata: { nodepool_build_id: 'f'.repeat(32), nodepool_upload_id: '0000000001', nodepool_provider_name: 'bench' },
    timeoutSeconds: 3600,
    ...(input.md5 ? { md5: input.md5 } : {}),
  });
  const seconds = (performance.now() - start) / 1000;
  await provider.deleteImage(uploaded.externalId);
  await provider.close();
  console.log(JSON.stringify({ seconds, rssMb: process.resourceUsage().maxRSS / 1024 }));
}

/** Creates an image through the Image API, then times `curl -T` of the data (as openstacksdk users would script it). */
async function runCurl(fx: GlanceFixture, filePath: string): Promise<number> {
  const base = fx.glance.url;
  const created = await fetch(`${base}/v2/images`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench-curl', disk_format: 'raw', container_format: 'bare', visibility: 'private' }),
  });
  const { id } = (await created.json()) as { id: string };
  try {
    const start = performance.now();
    await execa('curl', ['-sS', '--fail', '-T', filePath, '-X', 'PUT', '-H', 'Content-Type: application/octet-stream', `${base}/v2/images/${id}/file`]);
    return (performance.now() - start) / 1000;
  } finally {
    await fetch(`${base}/v2/images/${id}`, { method: 'DELETE' });
  }
}

async function sparseFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'w');
  await handle.truncate(size);
  await handle.close();
}

function mbps(bytes: number, seconds: number): string {
  return (bytes / 1e6 / seconds).toFixed(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
