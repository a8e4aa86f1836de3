import { formatAge } from '../../src/status/age.js';

describe('formatAge (nodepool status.age)', () => {
  const now = 1_700_000_000;
  test.each([
    [0, '00:00:00:00'],
    [59.9, '00:00:00:59'],
    [61, '00:00:01:01'],
    [3600 * 5 + 7, '00:05:00:07'],
    [86400 * 3 + 3600 * 23 + 60 * 59 + 58, '03:23:59:58'],
    [86400 * 123, '123:00:00:00'],
  ])('%d seconds ago prints %s', (ago, expected) => {
    expect(formatAge(now - ago, now)).toBe(expected);
  });

  test('a timestamp in the future (clock skew) formats like Python divmod', () => {
    // Python: divmod(-1, 60) == (-1, 59) ... → '-1:23:59:59'
    expect(formatAge(now + 1, now)).toBe('-1:23:59:59');
  });
});
