import {
  builderComponentPrefix,
  imageBuildLockPath,
  imageBuildNumberLockPath,
  imageBuildPath,
  imageBuildRequestPath,
  imagePausePath,
  imageProvidersPath,
  imageUploadLockPath,
  imageUploadNumberLockPath,
  imageUploadPath,
  imageUploadsPath,
  parseImageTreePath,
} from '../../src/model/paths.js';
import { ModelError } from '../../src/model/model-error.js';

const BUILD = '0123456789abcdef0123456789abcdef';

test('paths match Nodepool’s tree', () => {
  expect(imagePausePath('ubuntu')).toBe('/nodepool/images/ubuntu/pause');
  expect(imageBuildRequestPath('ubuntu')).toBe('/nodepool/images/ubuntu/request-build');
  expect(imageBuildLockPath('ubuntu')).toBe('/nodepool/images/ubuntu/builds/lock');
  expect(imageBuildPath('ubuntu', BUILD)).toBe(`/nodepool/images/ubuntu/builds/${BUILD}`);
  expect(imageBuildNumberLockPath('ubuntu', '0000000004')).toBe('/nodepool/images/ubuntu/builds/0000000004/lock');
  expect(imageProvidersPath('ubuntu', BUILD)).toBe(`/nodepool/images/ubuntu/builds/${BUILD}/providers`);
  expect(imageUploadsPath('ubuntu', BUILD, 'cloud-1')).toBe(`/nodepool/images/ubuntu/builds/${BUILD}/providers/cloud-1/images`);
  expect(imageUploadLockPath('ubuntu', BUILD, 'cloud-1')).toBe(
    `/nodepool/images/ubuntu/builds/${BUILD}/providers/cloud-1/images/lock`,
  );
  expect(imageUploadPath('ubuntu', BUILD, 'cloud-1', '0000000001')).toBe(
    `/nodepool/images/ubuntu/builds/${BUILD}/providers/cloud-1/images/0000000001`,
  );
  expect(imageUploadNumberLockPath('ubuntu', BUILD, 'cloud-1', '0000000001')).toBe(
    `/nodepool/images/ubuntu/builds/${BUILD}/providers/cloud-1/images/0000000001/lock`,
  );
  expect(builderComponentPrefix('nb01.example.org')).toBe('/nodepool/components/builder/nb01.example.org');
});

test.each([
  ['image', () => imagePausePath(''), '""'],
  ['image', () => imagePausePath('a/b'), '"a/b"'],
  ['image', () => imagePausePath('..'), '".."'],
  ['image', () => imagePausePath('.'), '"."'],
  ['image', () => imagePausePath('bad\nname'), '"bad\\nname"'],
  ['provider', () => imageUploadsPath('ubuntu', BUILD, 'x/../y'), '"x/../y"'],
  ['build id', () => imageBuildPath('ubuntu', 'XYZ'), '"XYZ"'],
  ['build id', () => imageBuildPath('ubuntu', '../lock'), '"../lock"'],
  ['upload id', () => imageUploadPath('ubuntu', BUILD, 'p', '1'), '"1"'],
  ['upload id', () => imageUploadPath('ubuntu', BUILD, 'p', 'lock'), '"lock"'],
])('invalid %s is rejected with KILN_INVALID_NAME', (kind, make, shown) => {
  let error: unknown;
  try {
    make();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(ModelError);
  expect((error as ModelError).code).toBe('KILN_INVALID_NAME');
  expect((error as ModelError).message).toContain(kind);
  expect((error as ModelError).message).toContain(shown);
});

test('names with dots, dashes and unicode are allowed', () => {
  expect(imagePausePath('ubuntu-22.04_x')).toBe('/nodepool/images/ubuntu-22.04_x/pause');
  expect(imagePausePath('ünïcode')).toBe('/nodepool/images/ünïcode/pause');
});

test('parseImageTreePath recognizes exportable data paths only', () => {
  expect(parseImageTreePath('/nodepool/images/img/pause')).toEqual({ kind: 'pause', image: 'img' });
  expect(parseImageTreePath(`/nodepool/images/img/builds/${BUILD}`)).toEqual({ kind: 'build', image: 'img', buildId: BUILD });
  expect(parseImageTreePath(`/nodepool/images/img/builds/${BUILD}/providers/p1/images/0000000003`)).toEqual({
    kind: 'upload',
    image: 'img',
    buildId: BUILD,
    provider: 'p1',
    uploadId: '0000000003',
  });
  for (const bad of [
    '/nodepool/images/img',
    '/nodepool/images/img/builds/lock',
    `/nodepool/images/img/builds/${BUILD}/lock`,
    `/nodepool/images/img/builds/${BUILD}/providers/p1/images/lock`,
    `/nodepool/images/img/builds/${BUILD}/providers/p1/images/0000000003/lock`,
    '/nodepool/nodes/0000000001',
    '/other/images/img/pause',
  ]) {
    expect(parseImageTreePath(bad)).toBeNull();
  }
});
