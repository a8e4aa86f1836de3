import { buildConnectString, commonChroot, formatHostPort, normalizeChroot } from '../../src/zk/connect-string.js';
import { parentPath, childPath, baseName } from '../../src/zk/zk-paths.js';
import { isKilnError } from '../../src/errors/index.js';
import { createRawClient } from '../../src/zk/raw-client.js';
import { connectionManager } from '../../src/zk/library-internals.js';

describe('buildConnectString', () => {
  test('single server with chroot matches upstream', () => {
    expect(buildConnectString([{ host: 'zk1', port: 2281, chroot: '/nodepool' }])).toBe('zk1:2281/nodepool');
  });

  test('applies the chroot once, at the end (upstream appends it per host)', () => {
    const servers = [
      { host: 'zk1', port: 2281, chroot: '/np' },
      { host: 'zk2', port: 2281, chroot: '/np' },
    ];
    expect(buildConnectString(servers)).toBe('zk1:2281,zk2:2281/np');
  });

  test('brackets IPv6 literals', () => {
    expect(formatHostPort({ host: '::1', port: 2281 })).toBe('[::1]:2281');
    expect(formatHostPort({ host: '[fe80::1]', port: 2181 })).toBe('[fe80::1]:2181');
    expect(buildConnectString([{ host: '::1', port: 2281 }, { host: '10.0.0.1', port: 2182 }])).toBe('[::1]:2281,10.0.0.1:2182');
  });

  test('normalises chroots', () => {
    expect(normalizeChroot('nodepool/')).toBe('/nodepool');
    expect(normalizeChroot('/')).toBeUndefined();
    expect(normalizeChroot(undefined)).toBeUndefined();
    expect(commonChroot([{ host: 'a', port: 1 }])).toBeUndefined();
  });

  test('refuses servers with different chroots and an empty list', () => {
    const differ = () => commonChroot([{ host: 'a', port: 1, chroot: '/x' }, { host: 'b', port: 1, chroot: '/y' }]);
    expect(differ).toThrow(/different chroots/);
    let err: unknown;
    try {
      buildConnectString([]);
    } catch (e) {
      err = e;
    }
    expect(isKilnError(err, 'KILN_ZK_ERROR')).toBe(true);
  });
});

describe('znode paths', () => {
  test('parentPath handles sequential prefixes and the root', () => {
    expect(parentPath('/a/b')).toBe('/a');
    expect(parentPath('/a/images/')).toBe('/a/images');
    expect(parentPath('/a')).toBe('/');
    expect(childPath('/', 'x')).toBe('/x');
    expect(childPath('/a', 'x')).toBe('/a/x');
    expect(baseName('/a/b/lock')).toBe('lock');
  });
});

describe('library server list', () => {
  test('IPv6 literals reach the library unmangled (its parser splits on ":")', () => {
    const client = createRawClient({
      endpoints: [{ host: '[::1]', port: 2281 }, { host: 'fe80::2', port: 2282 }],
      chroot: '/np',
      sessionTimeoutMs: 10000,
    });
    const servers = connectionManager(client).servers.map((s) => `${s.host} ${s.port}`).sort();
    expect(servers).toEqual(['::1 2281', 'fe80::2 2282']);
  });
});
