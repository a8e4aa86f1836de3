import { resolve } from 'node:path';
import { validateConfigFile } from '../../src/config/validate-config-file.js';
import { fixture, testEnv, useTempConfigDir } from './temp-config.js';

describe('validateConfigFile (kiln config-validate)', () => {
  const tmp = useTempConfigDir();

  test('a good file: ok, no errors (exit 0)', async () => {
    const result = await validateConfigFile(fixture('good.yaml'), undefined, { env: testEnv() });
    expect(result).toMatchObject({ ok: true, errors: [], code: null });
    expect(result.config?.diskimages.has('ubuntu-jammy')).toBe(true);
  });

  test('good file plus secure file', async () => {
    const result = await validateConfigFile(fixture('inheritance.yaml'), fixture('secure.yaml'), { env: testEnv() });
    expect(result.ok).toBe(true);
  });

  test('a bad file: not ok, one line per problem (exit 1)', async () => {
    const path = await tmp.current().write('bad.yaml', 'diskimages:\n  - name: a\n    rebuild-age: soon\n  - name: a\n');
    const result = await validateConfigFile(path, null, { env: tmp.current().env() });
    expect(result).toEqual({
      ok: false,
      code: 'KILN_CONFIG_INVALID',
      config: null,
      errors: [`${path}: diskimages[0] (name: a).rebuild-age: must be an integer, got "soon"`],
    });
  });

  test('a bad secure file and a missing file are reported the same way', async () => {
    const unknown = await validateConfigFile(fixture('inheritance.yaml'), fixture('secure-unknown.yaml'), { env: testEnv() });
    expect(unknown.errors).toEqual([`${fixture('secure-unknown.yaml')}: unknown diskimage no-such-image`]);
    const missing = resolve(tmp.current().dir, 'missing.yaml');
    expect(await validateConfigFile(missing, null, { env: testEnv() })).toMatchObject({
      ok: false,
      code: 'KILN_CONFIG_NOT_FOUND',
      errors: [`${missing}: file not found`],
    });
  });
});
