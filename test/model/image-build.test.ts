import { execa } from 'execa';
import { parseImageBuild, serializeImageBuild, type ImageBuildData } from '../../src/model/image-build.js';
import type { ImageBuild } from '../../src/model/types.js';

const UUID = '3f2a1b9c8d7e6f5a4b3c2d1e0f9a8b7c';

function build(overrides: Partial<ImageBuild> = {}): ImageBuild {
  return {
    image: 'ubuntu',
    id: UUID,
    state: 'ready',
    stateTime: 1718000000.12,
    builder: 'nb01.example.org',
    builderId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d',
    formats: ['raw', 'qcow2'],
    username: 'zuul',
    pythonPath: 'auto',
    shellType: null,
    ...overrides,
  };
}

test('a ready build serializes exactly as Python’s ImageBuild.toDict + json.dumps', async () => {
  const { stdout } = await execa('/usr/bin/python3', [
    '-c',
    `import json, sys; sys.stdout.write(json.dumps({"state": "ready", "state_time": 1718000000.12, "builder": "nb01.example.org",
      "builder_id": "a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d", "formats": ",".join(sorted(["raw", "qcow2"])), "username": "zuul",
      "python_path": "auto", "shell_type": None}))`,
  ]);
  expect(serializeImageBuild(build())).toBe(stdout);
});

test('null builder/builder_id and empty formats are omitted; the last three keys always present', () => {
  const text = serializeImageBuild(build({ state: 'failed', stateTime: 1718000001, builder: null, builderId: null, formats: [] }));
  expect(text).toBe('{"state": "failed", "state_time": 1718000001.0, "username": "zuul", "python_path": "auto", "shell_type": null}');
});

test('round trip keeps every field, with nulls and a legacy sequence id', () => {
  const legacy = build({ id: '0000000004', builder: null, shellType: 'csh', formats: ['qcow2'] });
  const back = parseImageBuild(serializeImageBuild(legacy), 'ubuntu', '0000000004', { ctime: 1234 });
  expect(back).toEqual({ ...legacy, ctimeMs: 1234 });
  const full = build();
  expect(parseImageBuild(Buffer.from(serializeImageBuild(full)), 'ubuntu', UUID)).toEqual({ ...full, formats: ['qcow2', 'raw'] });
});

test('Kiln extension fields follow upstream’s keys and round-trip, never shadowing them', () => {
  const text = serializeImageBuild(build({ extra: { kiln_boot_test: 'passed', state: 'bogus' } }));
  expect(text.endsWith('"shell_type": null, "kiln_boot_test": "passed"}')).toBe(true);
  expect(parseImageBuild(text, 'ubuntu', UUID)?.extra).toEqual({ kiln_boot_test: 'passed' });
});

test('read defaults: username zuul, python_path /usr/bin/python2, formats split and sorted', () => {
  const back = parseImageBuild('{"state": "building", "state_time": 5.5, "formats": "vhd,qcow2"}', 'img', 'ab');
  expect(back).toEqual({
    image: 'img',
    id: 'ab',
    state: 'building',
    stateTime: 5.5,
    builder: null,
    builderId: null,
    formats: ['qcow2', 'vhd'],
    username: 'zuul',
    pythonPath: '/usr/bin/python2',
    shellType: null,
  });
});

test('an explicit null username/python_path stays null (Python d.get keeps it) and is written back as null', () => {
  const back = parseImageBuild('{"state": "ready", "state_time": 1.0, "username": null, "python_path": null, "shell_type": null}', 'img', 'ab');
  expect(back).toMatchObject({ username: null, pythonPath: null });
  expect(serializeImageBuild(back as ImageBuildData)).toContain('"username": null, "python_path": null');
});

test('readers tolerate empty, non-JSON and non-object data', () => {
  for (const data of ['', '   ', 'not json', '[1, 2]', '"text"', '42', 'null', Buffer.alloc(0)]) {
    expect(parseImageBuild(data, 'img', 'ab')).toBeNull();
  }
});

test('a state without state_time reads as changed now (BaseModel state setter); unknown states read as null', () => {
  expect(parseImageBuild('{"state": "ready"}', 'img', 'ab', undefined, () => 99)?.stateTime).toBe(99);
  expect(parseImageBuild('{}', 'img', 'ab', undefined, () => 99)?.stateTime).toBeNull();
  expect(parseImageBuild('{"state": "exploded", "state_time": 3}', 'img', 'ab')?.state).toBeNull();
});
