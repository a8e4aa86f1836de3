/**
 * Per-test builder setup: a ZooKeeper chroot, temp images/log/cloud dirs, a
 * nodepool.yaml written from a small description (diskimages run the fake
 * dib-cmd of test/fixtures/builder), in-process builders with short
 * intervals, and cleanup of all of it (also after a failed test).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { createTestZk, type TestZk } from '../../support/zk-fixture.js';
import { startBuilder, type BuilderHandle } from '../../../src/builder/builder-daemon.js';
import type { BuilderOptions } from '../../../src/builder/builder-options.js';
import { ImageStore } from '../../../src/model/image-store.js';

export const FIXTURES = resolve('test/fixtures/builder');
export const FAKE_DIB = join(FIXTURES, 'fake-image-create');
export const POST_UPLOAD_HOOK = join(FIXTURES, 'post-upload-hook');

/** The env-vars upstream's fixtures set and fake-image-create checks. */
export const FAKE_ENV_VARS = {
  TMPDIR: '/opt/dib_tmp',
  DIB_IMAGE_CACHE: '/opt/dib_cache',
  DIB_CLOUD_IMAGES: 'http://download.fedoraproject.org/pub/fedora/linux/releases/test/21-Beta/Cloud/Images/x86_64/',
  BASE_IMAGE_FILE: 'Fedora-Cloud-Base-20141029-21_Beta.x86_64.qcow2',
};

export interface Harness {
  t: TestZk;
  store: ImageStore;
  dir: string;
  imagesDir: string;
  logDir: string;
  configPath: string;
  /** a fake image diskimage entry (override keys as needed) */
  diskimage(name: string, extra?: Record<string, unknown>): Record<string, unknown>;
  writeConfig(doc: { diskimages?: unknown[]; providers?: unknown[]; [key: string]: unknown }): Promise<string>;
  start(options?: Partial<BuilderOptions>): Promise<BuilderHandle>;
  cleanup(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const t = await createTestZk();
  const dir = await mkdtemp(join(tmpdir(), 'kiln-builder-test-'));
  const imagesDir = join(dir, 'images');
  const logDir = join(dir, 'logs');
  const configPath = join(dir, 'nodepool.yaml');
  const builders: BuilderHandle[] = [];
  const harness: Harness = {
    t,
    store: new ImageStore(t.zk),
    dir,
    imagesDir,
    logDir,
    configPath,
    diskimage: (name, extra = {}) => ({
      name,
      elements: ['fedora', 'vm'],
      release: 21,
      formats: ['qcow2'],
      'dib-cmd': FAKE_DIB,
      'env-vars': { ...FAKE_ENV_VARS },
      ...extra,
    }),
    async writeConfig(doc) {
      const full = {
        'images-dir': imagesDir,
        'build-log-dir': logDir,
        'zookeeper-servers': t.servers,
        ...doc,
      };
      await writeFile(configPath, stringify(full));
      return configPath;
    },
    async start(options = {}) {
      const builder = await startBuilder({
        configPath,
        logger: pino({ level: process.env.KILN_TEST_LOG ?? 'silent' }),
        cleanupIntervalSeconds: 0,
        cleanupCycle: null,
        rescanSeconds: 5,
        configCheckSeconds: 0.5,
        backoff: { baseSeconds: 30, maxSeconds: 60 },
        uploadRetry: { baseSeconds: 0.2, maxSeconds: 1 },
        hostname: 'nb-test',
        ...options,
      });
      builders.push(builder);
      return builder;
    },
    async cleanup() {
      await Promise.all(builders.map((b) => b.stop().catch(() => undefined)));
      await t.cleanup();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Polls `probe` until it returns a truthy value other than an empty array (or throws after `timeoutMs`). */
export async function waitFor<T>(what: string, probe: () => Promise<T> | T, timeoutMs = 20000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value && !(Array.isArray(value) && value.length === 0)) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
