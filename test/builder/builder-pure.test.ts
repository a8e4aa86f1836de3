/** Pure parts of the daemon: trigger rules, backoff, DIB argv/env, shell split, upload names and metadata. */
import { decideBuild, type BuildFacts } from '../../src/builder/build-triggers.js';
import { backoffDelay, nextBackoff } from '../../src/builder/backoff.js';
import { dibCommand, resolveDibCmd } from '../../src/builder/dib-command.js';
import { shellSplit } from '../../src/builder/shell-split.js';
import { externalImageName, uploadMetadata } from '../../src/builder/upload-metadata.js';
import type { DiskImage } from '../../src/config/types.js';
import { diskImageFixture } from '../support/diskimage-fixture.js';

function image(overrides: Partial<DiskImage> = {}): DiskImage {
  return diskImageFixture(overrides);
}

function facts(overrides: Partial<BuildFacts> = {}): BuildFacts {
  return { image: image(), labels: [], zkPaused: false, requestTime: null, newestReady: null, backoff: null, now: 1000000, ...overrides };
}

const fresh = { id: 'a', stateTime: 999000, formats: ['qcow2'] };

describe('decideBuild (nodepool-compat.md 4.1)', () => {
  test.each([
    ['no ready build', facts(), { build: true, reason: 'no-ready-build' }],
    ['rebuild-age reached', facts({ newestReady: { ...fresh, stateTime: 1000000 - 86400 } }), { build: true, reason: 'rebuild-age' }],
    ['formats missing', facts({ image: image({ formats: ['qcow2', 'raw'] }), newestReady: fresh }), { build: true, reason: 'missing-formats' }],
    ['manual request', facts({ newestReady: fresh, requestTime: 999999 }), { build: true, reason: 'manual' }],
    ['up to date', facts({ newestReady: fresh }), { build: false, reason: 'up-to-date', recheckAt: 999000 + 86400 }],
    ['config pause', facts({ image: image({ pause: true }), requestTime: 1 }), { build: false, reason: 'paused', recheckAt: null }],
    ['zk pause', facts({ zkPaused: true, requestTime: 1 }), { build: false, reason: 'paused', recheckAt: null }],
    ['no formats', facts({ image: image({ formats: [] }) }), { build: false, reason: 'no-formats', recheckAt: null }],
    ['other labels', facts({ image: image({ builderLabels: ['arm64'] }), labels: ['x86'] }), { build: false, reason: 'other-builder-labels', recheckAt: null }],
  ])('%s', (_name, input, expected) => {
    expect(decideBuild(input)).toEqual(expected);
  });

  test('a matching label builds', () => {
    expect(decideBuild(facts({ image: image({ builderLabels: ['arm64'] }), labels: ['arm64'] })).build).toBe(true);
  });

  test('backoff delays automatic builds; a request made after the failure bypasses it', () => {
    const backoff = { failures: 2, lastFailure: 999990, until: 1000100, buildId: 'b', builder: 'nb' };
    expect(decideBuild(facts({ backoff }))).toEqual({ build: false, reason: 'backoff', recheckAt: 1000100 });
    expect(decideBuild(facts({ backoff, requestTime: 999980 }))).toEqual({ build: false, reason: 'backoff', recheckAt: 1000100 });
    expect(decideBuild(facts({ backoff, requestTime: 999995 }))).toEqual({ build: true, reason: 'manual' });
    expect(decideBuild(facts({ backoff: { ...backoff, until: 999999 } })).build).toBe(true);
  });
});

test('backoff is exponential and capped', () => {
  const policy = { baseSeconds: 60, maxSeconds: 600 };
  expect([1, 2, 3, 4, 5, 50].map((n) => backoffDelay(n, policy))).toEqual([60, 120, 240, 480, 600, 600]);
  const first = nextBackoff(null, 100, policy, { buildId: 'x', builder: 'nb' });
  expect(first).toEqual({ failures: 1, lastFailure: 100, until: 160, buildId: 'x', builder: 'nb' });
  expect(nextBackoff(first, 200, policy, { buildId: 'y', builder: 'nb' }).until).toBe(320);
});

test('dibCommand: upstream argv and environment (4.3)', () => {
  const cmd = dibCommand({
    image: image({ formats: ['raw', 'qcow2'], dibCmd: '/opt/dib/bin/disk-image-create --extra "a b"', envVars: { DIB_IMAGE_NAME: 'override', X: '1' } }),
    config: { elementsDir: '/etc/elements' },
    base: '/images/img-abc',
    env: { PATH: '/usr/bin', HOME: '/root' },
  });
  expect(cmd.file).toBe('/opt/dib/bin/disk-image-create');
  expect(cmd.args).toEqual(['--extra', 'a b', '-x', '-t', 'qcow2,raw', '--checksum', '--no-tmpfs', '--qemu-img-options', 'compat=0.10', '-o', '/images/img-abc', 'fedora', 'vm']);
  expect(cmd.env).toEqual({
    PATH: '/usr/bin',
    HOME: '/root',
    DIB_RELEASE: '21',
    DIB_IMAGE_NAME: 'override',
    DIB_IMAGE_FILENAME: '/images/img-abc',
    ELEMENTS_PATH: '/etc/elements',
    X: '1',
  });
  const raw = dibCommand({ image: image({ formats: ['raw'], release: '', dibCmd: '/x' }), config: { elementsDir: null }, base: '/b', env: {} });
  expect(raw.args).not.toContain('--qemu-img-options');
  expect(raw.env).not.toHaveProperty('DIB_RELEASE');
});

test('the default dib-cmd runs Kiln’s own disk-image-create when DIB is not installed', () => {
  const words = resolveDibCmd(['disk-image-create'], '/nonexistent');
  expect(words[0]).toBe(process.execPath);
  expect(words[1]).toMatch(/bin\/kiln\.js$/);
  expect(words[2]).toBe('disk-image-create');
  expect(resolveDibCmd(['/custom/dib'], '/nonexistent')).toEqual(['/custom/dib']);
});

test('shellSplit follows shlex.split', () => {
  expect(shellSplit(`a  'b c' "d \\"e\\"" f\\ g ''`)).toEqual(['a', 'b c', 'd "e"', 'f g', '']);
  expect(() => shellSplit('"open')).toThrow(SyntaxError);
});

test('upload names and metadata (5)', () => {
  expect(externalImageName('{image_name}-{timestamp}', { imageName: 'img', timestamp: 17, uploadId: '0000000001', buildId: 'b' })).toBe('img-17');
  expect(externalImageName('np{upload_id}{{x}}{unknown}', { imageName: 'i', timestamp: 1, uploadId: '0000000002', buildId: 'b' })).toBe('np0000000002{x}{unknown}');
  expect(
    uploadMetadata({ diskimageMetadata: { a: 1, b: 'x', c: { d: true } }, providerMeta: { b: 'y' }, buildId: 'bid', uploadId: '0000000003', providerName: 'p' }),
  ).toEqual({ a: '1', b: 'y', c: '{"d":true}', nodepool_build_id: 'bid', nodepool_upload_id: '0000000003', nodepool_provider_name: 'p' });
});
