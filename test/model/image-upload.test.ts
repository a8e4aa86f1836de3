import { execa } from 'execa';
import { parseImageUpload, serializeImageUpload } from '../../src/model/image-upload.js';
import type { ImageUpload } from '../../src/model/types.js';
import { uploadData } from './fixtures.js';

const LOCATION = { image: 'ubuntu', buildId: '3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c', provider: 'cloud-1', id: '0000000001' };

function upload(overrides: Partial<ImageUpload> = {}): ImageUpload {
  return { ...LOCATION, ...uploadData({ externalId: 'a5c1-uuid' }), ...overrides };
}

test('an upload serializes exactly as Python’s ImageUpload.toDict + json.dumps', async () => {
  const { stdout } = await execa('/usr/bin/python3', [
    '-c',
    `import json, sys; sys.stdout.write(json.dumps({"state": "ready", "state_time": 1718000100.5, "external_id": "a5c1-uuid",
      "external_name": "ubuntu-1718000000", "format": "qcow2", "username": "zuul", "python_path": "auto", "shell_type": None}))`,
  ]);
  expect(serializeImageUpload(upload())).toBe(stdout);
});

test('every key is written, nulls included', () => {
  const text = serializeImageUpload(upload({ state: 'uploading', stateTime: 7, externalId: null, externalName: null, format: null }));
  expect(text).toBe(
    '{"state": "uploading", "state_time": 7.0, "external_id": null, "external_name": null, "format": null, "username": "zuul", "python_path": "auto", "shell_type": null}',
  );
});

test('round trip with nulls', () => {
  const u = upload({ externalId: null, externalName: null, format: null, shellType: 'sh' });
  expect(parseImageUpload(serializeImageUpload(u), LOCATION)).toEqual(u);
});

test('read defaults and tolerance', () => {
  expect(parseImageUpload('{"state": "uploading", "state_time": 1.25}', LOCATION)).toEqual({
    ...LOCATION,
    state: 'uploading',
    stateTime: 1.25,
    externalId: null,
    externalName: null,
    format: null,
    username: 'zuul',
    pythonPath: '/usr/bin/python2',
    shellType: null,
  });
  for (const data of ['', 'garbage', '[]', Buffer.alloc(0)]) expect(parseImageUpload(data, LOCATION)).toBeNull();
  expect(parseImageUpload('{"external_id": 12345, "state": "ready", "state_time": 1}', LOCATION)?.externalId).toBe('12345');
});
