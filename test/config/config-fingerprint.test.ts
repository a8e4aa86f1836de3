import { rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configFingerprint } from '../../src/config/config-fingerprint.js';
import { useTempConfigDir } from './temp-config.js';

describe('configFingerprint', () => {
  const tmp = useTempConfigDir();

  test('stable while nothing changes; changes with either file', async () => {
    const main = await tmp.current().write('np.yaml', 'a: 1\n');
    const secure = await tmp.current().write('secure.yaml', 'b: 1\n');
    const first = await configFingerprint(main, secure);
    expect(await configFingerprint(main, secure)).toBe(first);

    await utimes(secure, new Date(1_000_000), new Date(1_000_000));
    const afterSecure = await configFingerprint(main, secure);
    expect(afterSecure).not.toBe(first);

    await utimes(main, new Date(2_000_000), new Date(2_000_000));
    expect(await configFingerprint(main, secure)).not.toBe(afterSecure);
  });

  test('a replacement with the same mtime (rename over it) is still a change', async () => {
    const main = await tmp.current().write('np.yaml', 'a: 1\n');
    const when = new Date(3_000_000);
    await utimes(main, when, when);
    const before = await configFingerprint(main);
    const replacement = join(tmp.current().dir, 'np.yaml.new');
    await writeFile(replacement, 'a: 2\n');
    await utimes(replacement, when, when);
    await rename(replacement, main);
    expect(await configFingerprint(main)).not.toBe(before);
  });

  test('a missing file has a fingerprint of its own', async () => {
    expect(await configFingerprint(join(tmp.current().dir, 'gone.yaml'))).toBe('missing');
  });
});
