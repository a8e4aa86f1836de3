import { isServing } from '../../src/zk/four-letter-word.js';
import { execa } from 'execa';

test('the test ZooKeeper serves', async () => {
  expect(await isServing('127.0.0.1', Number(process.env.KILN_TEST_ZK_PORT))).toBe(true);
  const { stdout } = await execa('echo', ['execa-esm-works']);
  expect(stdout).toBe('execa-esm-works');
});
