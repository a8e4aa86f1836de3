import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { fixture, testEnv, useTempConfigDir } from './temp-config.js';

describe('secure file merge (-s)', () => {
  const load = (secure: string) =>
    loadConfig(fixture('inheritance.yaml'), { securePath: fixture(secure), env: testEnv() });

  test('zookeeper-servers replace, zookeeper-tls is set, env-vars dict-update the merged diskimage', async () => {
    const config = await load('secure.yaml');
    expect(config.securePath).toBe(fixture('secure.yaml'));
    expect(config.zookeeperServers).toEqual([{ host: 'secure-zk.example.org', port: 2182, chroot: '/secure' }]);
    expect(config.zookeeperTls).toEqual({ cert: '/secure/client.pem', key: '/secure/client.key', ca: '/secure/ca.pem' });
    // inherited foo=bar overridden, inherited keys kept, a new key added
    expect(config.diskimages.get('child-image')?.envVars).toEqual({
      foo: 'secret-foo',
      shared: 'from-middle',
      baz: 'qux',
      SECRET_TOKEN: 's3cret',
    });
    expect(config.diskimages.get('child-overrides')?.envVars).toEqual({ foo: 'bar', shared: 'from-middle' });
  });

  test('an unknown diskimage is an error with upstream\'s message', async () => {
    const err = await load('secure-unknown.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe(`${fixture('secure-unknown.yaml')}: unknown diskimage no-such-image`);
    expect((err as ConfigError).code).toBe('KILN_CONFIG_INVALID');
  });

  describe('edge cases', () => {
    const tmp = useTempConfigDir();

    test('servers in the main file stay when the secure file has none; an empty secure file is fine', async () => {
      const main = await tmp.current().write('np.yaml', 'zookeeper-servers:\n  - host: main-zk\n');
      const tlsOnly = await tmp.current().write('tls.yaml', 'zookeeper-tls: {cert: c, key: k, ca: a}\n');
      const empty = await tmp.current().write('empty.yaml', '');
      const withTls = await loadConfig(main, { securePath: tlsOnly, env: tmp.current().env() });
      expect(withTls.zookeeperServers).toEqual([{ host: 'main-zk', port: 2281 }]);
      expect(withTls.zookeeperTls).toEqual({ cert: 'c', key: 'k', ca: 'a' });
      const withEmpty = await loadConfig(main, { securePath: empty, env: tmp.current().env() });
      expect(withEmpty.zookeeperServers).toEqual([{ host: 'main-zk', port: 2281 }]);
      expect(withEmpty.securePath).toBe(empty);
    });

    test('an abstract diskimage cannot take secure env-vars (not an image, as upstream)', async () => {
      const main = await tmp.current().write('np.yaml', 'diskimages:\n  - {name: base, abstract: true}\n');
      const secure = await tmp.current().write('s.yaml', 'diskimages:\n  - {name: base, env-vars: {A: b}}\n');
      await expect(loadConfig(main, { securePath: secure, env: tmp.current().env() })).rejects.toThrow(
        `${secure}: unknown diskimage base (it is abstract; give the env-vars to a non-abstract child)`,
      );
    });

    test('unknown keys and partial TLS in the secure file are rejected', async () => {
      const main = await tmp.current().write('np.yaml', 'diskimages: []\n');
      const secure = await tmp.current().write('s.yaml', 'zookeeper_tls: {}\nzookeeper-tls: {cert: c, key: k}\n');
      const err = (await loadConfig(main, { securePath: secure, env: tmp.current().env() }).catch((e) => e)) as ConfigError;
      expect(err.message.split('\n')).toEqual([
        `${secure}: zookeeper-tls: missing required key "ca"`,
        `${secure}: unknown key "zookeeper_tls"; allowed: zookeeper-servers, zookeeper-tls, diskimages`,
      ]);
    });
  });
});
