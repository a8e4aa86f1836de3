/** Records and setup for the model tests. */
import { createTestZk, type TestZk } from '../support/zk-fixture.js';
import { ImageStore } from '../../src/model/image-store.js';
import type { ImageBuildData } from '../../src/model/image-build.js';
import type { ImageUploadData } from '../../src/model/image-upload.js';

export function buildData(overrides: Partial<ImageBuildData> = {}): ImageBuildData {
  return {
    state: 'ready',
    stateTime: 1718000000.25,
    builder: 'nb01.example.org',
    builderId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    formats: ['qcow2', 'raw'],
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
    ...overrides,
  };
}

export function uploadData(overrides: Partial<ImageUploadData> = {}): ImageUploadData {
  return {
    state: 'ready',
    stateTime: 1718000100.5,
    externalId: 'glance-id-1',
    externalName: 'ubuntu-1718000000',
    format: 'qcow2',
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
    ...overrides,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Per-test chroot and an ImageStore over it, created before and removed after each test. */
export function useImageStore(): { readonly t: TestZk; readonly store: ImageStore } {
  const context = {} as { t: TestZk; store: ImageStore };
  beforeEach(async () => {
    context.t = await createTestZk();
    context.store = new ImageStore(context.t.zk);
  });
  afterEach(async () => {
    await context.t?.cleanup();
  });
  return context;
}
