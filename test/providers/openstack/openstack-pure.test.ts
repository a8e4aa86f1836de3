/**
 * The pure pieces of the OpenStack client: Keystone request bodies, catalog
 * lookup, version discovery, the image create body, rate limiting, backoff,
 * and secret redaction.
 */
import { inspect } from 'node:util';
import { keystoneAuthBody } from '../../../src/providers/openstack/keystone-auth-body.js';
import { findEndpoint, type CatalogEntry } from '../../../src/providers/openstack/service-catalog.js';
import { imageV2Url, versionedUrl } from '../../../src/providers/openstack/image-endpoint.js';
import { glanceImageBody } from '../../../src/providers/openstack/glance-image-body.js';
import { createRateLimiter } from '../../../src/providers/openstack/rate-limiter.js';
import { backoffDelay, withRetry } from '../../../src/providers/openstack/retry.js';
import { Secret } from '../../../src/providers/openstack/secret.js';
import { redact } from '../../../src/providers/openstack/redact.js';
import { OpenStackError } from '../../../src/providers/openstack/openstack-error.js';
import { diskFormatFor } from '../../../src/providers/openstack/disk-formats.js';

describe('keystoneAuthBody', () => {
  test('password, project scope by name', () => {
    const body = keystoneAuthBody({
      method: 'password',
      user: { name: 'nodepool' },
      userDomain: { name: 'Default' },
      password: new Secret('pw'),
      scope: { kind: 'project', project: { name: 'ci' }, domain: { id: 'default' } },
    });
    expect(body).toEqual({
      auth: {
        identity: { methods: ['password'], password: { user: { name: 'nodepool', domain: { name: 'Default' }, password: 'pw' } } },
        scope: { project: { name: 'ci', domain: { id: 'default' } } },
      },
    });
  });

  test('application credential: no scope block', () => {
    expect(keystoneAuthBody({ method: 'application_credential', id: 'ac', secret: new Secret('s') })).toEqual({
      auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac', secret: 's' } } },
    });
  });
});

describe('findEndpoint', () => {
  const catalog: CatalogEntry[] = [
    { type: 'identity', endpoints: [{ interface: 'public', region_id: 'R1', url: 'http://keystone' }] },
    {
      type: 'image',
      endpoints: [
        { interface: 'public', region_id: 'R1', url: 'http://glance-r1' },
        { interface: 'internal', region_id: 'R1', url: 'http://glance-r1-internal' },
        { interface: 'public', region: 'R2', url: 'http://glance-r2' },
      ],
    },
  ];
  const query = { serviceType: 'image', interface: 'public', regionName: 'R1' as string | null, cloud: 'c' };

  test('matches type, interface and region (region_id or legacy region)', () => {
    expect(findEndpoint(catalog, query)).toBe('http://glance-r1');
    expect(findEndpoint(catalog, { ...query, interface: 'internal' })).toBe('http://glance-r1-internal');
    expect(findEndpoint(catalog, { ...query, regionName: 'R2' })).toBe('http://glance-r2');
  });

  test('errors: unknown region (naming the known ones), no service, ambiguous region', () => {
    expect(() => findEndpoint(catalog, { ...query, regionName: 'R9' })).toThrow(expect.objectContaining({ code: 'KILN_OPENSTACK_REGION_NOT_FOUND', message: expect.stringContaining('R1, R2') }));
    expect(() => findEndpoint(catalog, { ...query, serviceType: 'volume' })).toThrow(expect.objectContaining({ code: 'KILN_OPENSTACK_SERVICE_NOT_FOUND' }));
    expect(() => findEndpoint(catalog, { ...query, regionName: null })).toThrow(expect.objectContaining({ code: 'KILN_OPENSTACK_REGION_NOT_FOUND' }));
  });
});

describe('image endpoint version', () => {
  test('catalog URLs that name v2 are used as they are', () => {
    expect(versionedUrl('http://g:9292/v2/')).toBe('http://g:9292/v2');
    expect(versionedUrl('http://g:9292/v2.1')).toBe('http://g:9292/v2');
    expect(versionedUrl('http://g:9292/image')).toBeNull();
  });

  test('discovery: v2 offered → {url}/v2; only v1 → error; no document → {url}/v2', () => {
    const doc = JSON.stringify({ versions: [{ id: 'v2.15', status: 'CURRENT' }, { id: 'v1.1', status: 'DEPRECATED' }] });
    expect(imageV2Url('http://g/image/', 300, doc, 'c')).toBe('http://g/image/v2');
    expect(() => imageV2Url('http://g', 300, JSON.stringify({ versions: [{ id: 'v1.1', status: 'CURRENT' }] }), 'c')).toThrow(
      expect.objectContaining({ code: 'KILN_OPENSTACK_SERVICE_NOT_FOUND' }),
    );
    expect(imageV2Url('http://g', 404, 'not found', 'c')).toBe('http://g/v2');
  });
});

describe('glanceImageBody', () => {
  test('nodepool + openstacksdk fields, properties as strings, min_disk as a number', () => {
    expect(glanceImageBody({ name: 'img-1', diskFormat: 'qcow2', metadata: { nodepool_upload_id: '0000000001', min_disk: '20' }, md5: 'abc', cloud: 'c' })).toEqual({
      name: 'img-1',
      disk_format: 'qcow2',
      container_format: 'bare',
      visibility: 'private',
      nodepool_upload_id: '0000000001',
      min_disk: 20,
      'owner_specified.openstack.md5': 'abc',
      'owner_specified.openstack.sha256': '',
      'owner_specified.openstack.object': 'images/img-1',
    });
  });

  test('reserved names are refused', () => {
    expect(() => glanceImageBody({ name: 'i', diskFormat: 'raw', metadata: { os_glance_x: '1' }, cloud: 'c' })).toThrow(expect.objectContaining({ code: 'KILN_OPENSTACK_PROPERTY_REJECTED' }));
    expect(() => glanceImageBody({ name: 'i', diskFormat: 'raw', metadata: { status: 'active' }, cloud: 'c' })).toThrow(expect.objectContaining({ code: 'KILN_OPENSTACK_PROPERTY_REJECTED' }));
  });

  test('disk formats: Glance\'s list, anything else rejected', () => {
    expect(diskFormatFor('vhd', 'c')).toBe('vhd');
    expect(() => diskFormatFor('tar', 'c')).toThrow(expect.objectContaining({ code: 'KILN_OPENSTACK_FORMAT_REJECTED' }));
  });
});

describe('rate limiter', () => {
  test('spaces call starts by `rate` seconds, in arrival order', async () => {
    let now = 1000;
    const slept: number[] = [];
    const limiter = createRateLimiter({
      rate: 0.5,
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(slept).toEqual([500, 1000]);
    now += 5000; // idle for a while: the next call goes at once
    await limiter.acquire();
    expect(slept).toEqual([500, 1000]);
  });

  test('rate 0 never waits', async () => {
    const limiter = createRateLimiter({ rate: 0, sleep: () => Promise.reject(new Error('must not sleep')) });
    await expect(limiter.acquire()).resolves.toBeUndefined();
  });
});

describe('retry', () => {
  const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

  test('exponential, capped delays with ±25 % jitter', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0.5))).toEqual([100, 200, 250, 250]);
    expect(backoffDelay(1, policy, () => 0)).toBe(75);
    expect(backoffDelay(1, policy, () => 1)).toBe(125);
  });

  test('transient errors are retried until the attempts run out; permanent ones are not', async () => {
    const delays: number[] = [];
    const hooks = { sleep: async (ms: number) => void delays.push(ms), random: () => 0.5 };
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new OpenStackError('KILN_OPENSTACK_CONNECTION', 'reset');
      }, policy, hooks),
    ).rejects.toMatchObject({ code: 'KILN_OPENSTACK_CONNECTION' });
    expect(calls).toBe(4);
    expect(delays).toEqual([100, 200, 250]);

    calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new OpenStackError('KILN_OPENSTACK_AUTH_FAILED', 'no');
      }, policy, hooks),
    ).rejects.toMatchObject({ code: 'KILN_OPENSTACK_AUTH_FAILED' });
    expect(calls).toBe(1);

    calls = 0;
    await expect(withRetry(async () => (++calls < 3 ? Promise.reject(new OpenStackError('KILN_OPENSTACK_HTTP', '503', { status: 503, permanent: false })) : 'ok'), policy, hooks)).resolves.toBe('ok');
  });
});

describe('secrets', () => {
  test('a Secret prints as *** everywhere; redact() removes values from foreign text', () => {
    const secret = new Secret('tok-123456');
    expect(`${secret} ${JSON.stringify({ secret })} ${inspect({ secret })}`).not.toContain('tok-123456');
    expect(redact('invalid token tok-123456 given', [secret])).toBe('invalid token *** given');
  });
});
