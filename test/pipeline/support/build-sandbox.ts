import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diskImageCreate, type DiskImageCreateResult } from '../../../src/pipeline/disk-image-create.js';
import { mountsBelow } from '../../../src/resources/mount-table.js';
import { undoResources } from '../../../src/resources/undo-resources.js';

export const FIXTURE_ELEMENTS = resolve('test/fixtures/elements');

/**
 * A private world for one pipeline test: its own TMP_DIR, state dir, image
 * cache and output dir under one temp root, removed afterwards (unmounting
 * anything left first, so a failed test cannot make the removal descend into
 * a bind mount of /dev).
 */
export class BuildSandbox {
  private constructor(readonly root: string) {}

  static async create(prefix = 'kiln-pipeline-'): Promise<BuildSandbox> {
    return new BuildSandbox(await mkdtemp(join(tmpdir(), prefix)));
  }

  get tmpDir(): string {
    return join(this.root, 'tmp');
  }
  get stateDir(): string {
    return join(this.root, 'state');
  }
  get outDir(): string {
    return join(this.root, 'out');
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TMP_DIR: this.tmpDir,
      KILN_STATE_DIR: this.stateDir,
      DIB_IMAGE_CACHE: join(this.root, 'cache'),
      DIB_LOCKFILES: join(this.root, 'locks'),
      ELEMENTS_PATH: FIXTURE_ELEMENTS,
      DIB_NO_TIMESTAMP: '1',
      ...extra,
    };
  }

  async build(argv: string[], extraEnv: Record<string, string> = {}, signal?: AbortSignal): Promise<DiskImageCreateResult & { output: string }> {
    let output = '';
    const result = await diskImageCreate(argv, {
      env: this.env(extraEnv),
      cwd: this.root,
      stdout: (t) => (output += t),
      stderr: (t) => (output += t),
      ...(signal ? { signal } : {}),
    });
    return { ...result, output };
  }

  /** What a build may never leave behind: mounts, build/image dirs, state files. */
  async leftovers(): Promise<{ mounts: string[]; tmp: string[]; states: string[] }> {
    // an on-disk build dir is deleted in the background after the build: give it time
    for (let i = 0; i < 600; i++) {
      const tmp = await readdir(this.tmpDir).catch(() => [] as string[]);
      const states = await readdir(join(this.stateDir, 'builds')).catch(() => [] as string[]);
      if (!tmp.some((d) => d.endsWith('.trash')) && !states.some((f) => f.startsWith('trash-'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      mounts: await mountsBelow(this.root),
      tmp: await readdir(this.tmpDir).catch(() => []),
      states: await readdir(join(this.stateDir, 'builds')).catch(() => []),
    };
  }

  async dispose(): Promise<void> {
    await undoResources([{ kind: 'tempdir', path: this.root }]);
    await rm(this.root, { recursive: true, force: true });
  }
}
