/**
 * The boot-test gate: an image that does not boot never becomes ready. The
 * fake dib-cmd writes an unbootable raw file, QEMU (TCG) shows no login
 * prompt within the diskimage's `boot-test.timeout`, and the build is
 * recorded failed with the reason in its log. (A real Debian image booting to
 * `login:` is covered by test/assembly/debian-vm-boot.test.ts and the Quick start.)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { createHarness, waitFor, type Harness } from './support/builder-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.cleanup();
});

test('a build whose image does not boot is recorded failed, with the boot test in its log', async () => {
  await h.writeConfig({
    diskimages: [h.diskimage('unbootable', { formats: ['raw'], 'boot-test': { timeout: 5, expect: 'login:' } })],
  });
  await h.start();
  const [build] = await waitFor('a failed build', () => h.store.getBuilds('unbootable', ['failed']), 60000);
  const log = await readFile(join(h.logDir, `unbootable-${build?.id}.log`), 'utf8');
  expect(log).toContain('Boot test: booting raw in QEMU (TCG, bios)');
  expect(log).toMatch(/Boot test: timeout after \d+\.\d s/);
  expect(await h.store.getBuilds('unbootable', ['ready'])).toEqual([]);
  // the gate kills its QEMU
  const { stdout } = await execa('pgrep', ['-f', `unbootable-${build?.id}`], { reject: false });
  expect(stdout.trim()).toBe('');
});
