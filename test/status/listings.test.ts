import { dibImageList, imageList, imageStatus } from '../../src/status/listings.js';
import { renderJson, renderTable } from '../../src/status/render.js';
import type { ImageBuild, ImageTreeSnapshot, ImageUpload } from '../../src/model/types.js';

const now = 1_700_000_000;

function build(image: string, id: string, over: Partial<ImageBuild> = {}): ImageBuild {
  return {
    image, id, state: 'ready', stateTime: now - 90, builder: 'nb01.example.org', builderId: 'b-1',
    formats: ['qcow2', 'raw'], username: 'zuul', pythonPath: 'auto', shellType: null, ...over,
  };
}

function upload(image: string, buildId: string, provider: string, id: string, over: Partial<ImageUpload> = {}): ImageUpload {
  return {
    image, buildId, provider, id, state: 'ready', stateTime: now - 3661, externalId: 'ext-1',
    externalName: `${image}-1700000000`, format: 'qcow2', username: 'zuul', pythonPath: 'auto', shellType: null, ...over,
  };
}

const b1 = 'a'.repeat(32);
const tree: ImageTreeSnapshot = {
  images: [
    {
      name: 'fedora',
      paused: false,
      buildRequest: { image: 'fedora', pending: true, stateTime: now - 5 },
      buildLockHolders: [],
      builds: [
        { build: build('fedora', b1), uploads: new Map([['cloud1', [upload('fedora', b1, 'cloud1', '0000000001')]]]) },
        { build: build('fedora', '0000000004', { state: 'failed', formats: [], builder: null }), uploads: new Map() },
      ],
    },
    {
      name: 'ubuntu',
      paused: true,
      buildRequest: null,
      buildLockHolders: [],
      builds: [{ build: build('ubuntu', 'b'.repeat(32)), uploads: new Map() }],
    },
  ],
};

describe('image listings', () => {
  test('dib-image-list: ids are <image>-<build_id>, a ZooKeeper-paused image shows every build as paused', () => {
    const text = renderTable(dibImageList(tree), now);
    expect(text.split('\n')).toEqual([
      '+-----------------------------------------+--------+------------------+-----------+--------+-------------+',
      '| ID                                      | Image  | Builder          | Formats   | State  | Age         |',
      '+-----------------------------------------+--------+------------------+-----------+--------+-------------+',
      `| fedora-${b1} | fedora | nb01.example.org | qcow2,raw | ready  | 00:00:01:30 |`,
      '| fedora-0000000004                       | fedora |                  |           | failed | 00:00:01:30 |',
      `| ubuntu-${'b'.repeat(32)} | ubuntu | nb01.example.org | qcow2,raw | paused | 00:00:01:30 |`,
      '+-----------------------------------------+--------+------------------+-----------+--------+-------------+',
    ]);
  });

  test('dib-image-list --json has the webapp shape with raw integer ages', () => {
    expect(JSON.parse(renderJson(dibImageList(tree)))[0]).toEqual({
      id: `fedora-${b1}`, image: 'fedora', builder: 'nb01.example.org', formats: ['qcow2', 'raw'], state: 'ready', age: now - 90,
    });
  });

  test('image-list columns and JSON', () => {
    const listing = imageList(tree);
    expect(listing.headers.map(([, h]) => h)).toEqual([
      'Build ID', 'Upload ID', 'Provider', 'Image', 'Provider Image Name', 'Provider Image ID', 'State', 'Age',
    ]);
    expect(renderTable(listing, now)).toContain(`| ${b1} | 0000000001 | cloud1   | fedora | fedora-1700000000   | ext-1             | ready | 00:01:01:01 |`);
    expect(JSON.parse(renderJson(listing))).toEqual([
      { id: b1, upload_id: '0000000001', provider: 'cloud1', image: 'fedora', external_name: 'fedora-1700000000', external_id: 'ext-1', state: 'ready', age: now - 3661 },
    ]);
  });

  test('image-status: paused as True/False, request pending/building, age formatted only when set', () => {
    const listing = imageStatus(tree);
    expect(renderTable(listing, now).split('\n').slice(3, 5)).toEqual([
      '| fedora | False  | pending       | 00:00:00:05       |',
      '| ubuntu | True   |               |                   |',
    ]);
    expect(JSON.parse(renderJson(listing))).toEqual([
      { image: 'fedora', paused: false, build_request: 'pending', build_request_age: now - 5 },
      { image: 'ubuntu', paused: true, build_request: null, build_request_age: null },
    ]);
  });
});
