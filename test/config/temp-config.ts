/**
 * Test helpers: config files in a private temp dir (removed after each test,
 * also on failure) and an environment whose clouds.yaml lookup is pinned to
 * the fixture, so the host's own clouds.yaml never leaks into a test.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'config');
export const fixture = (name: string): string => join(FIXTURES, name);

export interface TempConfigDir {
  dir: string;
  /** writes `name` with `text`, returns its path */
  write(name: string, text: string): Promise<string>;
  /** env for loadConfig: clouds.yaml from the fixture, HOME inside the temp dir */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

/** Call in a describe block: a fresh dir per test, removed afterwards. */
export function useTempConfigDir(): { current: () => TempConfigDir } {
  let current: TempConfigDir | undefined;
  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-config-test-'));
    current = {
      dir,
      async write(name, text) {
        const path = join(dir, name);
        await writeFile(path, text);
        return path;
      },
      env: (extra = {}) => testEnv({ HOME: dir, ...extra }),
    };
  });
  afterEach(async () => {
    if (current) await rm(current.dir, { recursive: true, force: true });
    current = undefined;
  });
  return {
    current: () => {
      if (!current) throw new Error('useTempConfigDir: no test is running');
      return current;
    },
  };
}

/** A minimal environment: no NODEPOOL_ variables unless given, fixture clouds.yaml. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: FIXTURES, OS_CLIENT_CONFIG_FILE: fixture('clouds.yaml'), ...extra };
}
