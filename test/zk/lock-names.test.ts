import { contenderSequence, newLockPrefix, predecessorOf, sortedContenders } from '../../src/zk/lock-names.js';

const node = (hex: string, seq: number): string => `${hex.repeat(32)}__lock__${String(seq).padStart(10, '0')}`;

test('lock prefixes are <32 hex>__lock__ like kazoo', () => {
  expect(newLockPrefix()).toMatch(/^[0-9a-f]{32}__lock__$/);
  expect(newLockPrefix()).not.toBe(newLockPrefix());
});

test('contenders are __lock__ nodes only, in sequence order', () => {
  const children = ['lock', node('b', 7), `${'c'.repeat(32)}__rlock__0000000001`, node('a', 3), '0000000004', node('d', 12)];
  expect(sortedContenders(children)).toEqual([node('a', 3), node('b', 7), node('d', 12)]);
  expect(contenderSequence(node('a', 3))).toBe('0000000003');
  expect(contenderSequence('0000000004')).toBeNull();
  expect(contenderSequence('x__lock__-2147483648')).toBe('-2147483648'); // kazoo's regex admits a sign
});

test('the predecessor is the greatest smaller sequence (kazoo _get_predecessor)', () => {
  const children = [node('a', 3), node('b', 7), node('d', 12)];
  expect(predecessorOf(children, '0000000003')).toBeNull();
  expect(predecessorOf(children, '0000000007')).toBe(node('a', 3));
  expect(predecessorOf(children, '0000000012')).toBe(node('b', 7));
});
