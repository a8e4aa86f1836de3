import { loadConfig } from '../../src/config/load-config.js';
import { substituteEnv } from '../../src/config/substitute-env.js';
import { ConfigError } from '../../src/errors/config-error.js';
import { fixture, testEnv, useTempConfigDir } from './temp-config.js';

describe('%(NODEPOOL_xxx) substitution', () => {
  test('NODEPOOL_ variables are substituted before parsing; others are left alone', async () => {
    const env = testEnv({ NODEPOOL_TEST_DIR: '/srv/np', NODEPOOL_TEST_PASSWORD: 'p4ss', HOME: '/home/x' });
    const config = await loadConfig(fixture('substitution.yaml'), { env });
    expect(config.imagesDir).toBe('/srv/np/images');
    expect(config.buildLogDir).toBe('/srv/np/logs');
    expect(config.diskimages.get('sub')?.envVars).toEqual({ PASSWORD: 'p4ss', KEEP: '%(HOME)' });
  });

  test('substituteEnv only touches %(NODEPOOL_*) references', () => {
    const env = { NODEPOOL_A: 'x', OTHER: 'y' };
    expect(substituteEnv('%(NODEPOOL_A)/%(OTHER)/%(NODEPOOL_B)', env)).toBe('x/%(OTHER)/%(NODEPOOL_B)');
  });

  test('a missing variable is a ConfigError naming the variable, the file and the key', async () => {
    const env = testEnv({ NODEPOOL_TEST_DIR: '/srv/np' });
    const err = (await loadConfig(fixture('substitution.yaml'), { env }).catch((e) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('KILN_CONFIG_MISSING_ENV');
    expect(err.message).toBe(
      `${fixture('substitution.yaml')}: diskimages[0] (name: sub).env-vars.PASSWORD: ` +
        'environment variable NODEPOOL_TEST_PASSWORD is not set (referenced as %(NODEPOOL_TEST_PASSWORD))',
    );
  });

  test('several missing variables are reported together, one per line', async () => {
    const err = (await loadConfig(fixture('substitution.yaml'), { env: testEnv() }).catch((e) => e)) as ConfigError;
    expect(err.message.split('\n')).toHaveLength(3);
    expect(err.message).toContain('images-dir: environment variable NODEPOOL_TEST_DIR is not set');
  });
});

describe('reading the file', () => {
  const tmp = useTempConfigDir();

  test('a missing file is KILN_CONFIG_NOT_FOUND after the retries', async () => {
    const path = `${tmp.current().dir}/nope.yaml`;
    await expect(loadConfig(path, { env: tmp.current().env() })).rejects.toMatchObject({
      code: 'KILN_CONFIG_NOT_FOUND',
      message: `${path}: file not found`,
    });
  });

  test('a file that appears during the ENOENT retries is read (an editor replacing it)', async () => {
    const path = `${tmp.current().dir}/late.yaml`;
    const loading = loadConfig(path, { env: tmp.current().env() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await tmp.current().write('late.yaml', 'images-dir: /late\n');
    expect((await loading).imagesDir).toBe('/late');
  });

  test('invalid YAML is KILN_CONFIG_YAML with the line', async () => {
    const path = await tmp.current().write('bad.yaml', 'diskimages: [\n');
    const err = (await loadConfig(path, { env: tmp.current().env() }).catch((e) => e)) as ConfigError;
    expect(err.code).toBe('KILN_CONFIG_YAML');
    expect(err.message).toMatch(new RegExp(`^${path}: invalid YAML: .* at line 2, column 1$`));
  });

  test('an empty file or a non-mapping is refused', async () => {
    const empty = await tmp.current().write('empty.yaml', '# nothing\n');
    await expect(loadConfig(empty, { env: tmp.current().env() })).rejects.toThrow(
      `${empty}: the file is empty; expected a mapping of nodepool.yaml keys`,
    );
    const list = await tmp.current().write('list.yaml', '- a\n- b\n');
    await expect(loadConfig(list, { env: tmp.current().env() })).rejects.toThrow(`${list}: must be a mapping, got a list`);
  });
});
