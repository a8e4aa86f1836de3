import { cellText, prettyTable } from '../../src/status/pretty-table.js';

describe('prettyTable (PrettyTable with align l)', () => {
  test('pads every column to its widest cell, headers left-aligned', () => {
    expect(prettyTable(['ID', 'Image'], [['fedora-1', 'fedora'], ['x', null]])).toBe(
      [
        '+----------+--------+',
        '| ID       | Image  |',
        '+----------+--------+',
        '| fedora-1 | fedora |',
        '| x        |        |',
        '+----------+--------+',
      ].join('\n'),
    );
  });

  test('an empty table prints its header and a bottom rule', () => {
    expect(prettyTable(['ID', 'Provider'], [])).toBe(
      ['+----+----------+', '| ID | Provider |', '+----+----------+', '+----+----------+'].join('\n'),
    );
  });

  test('cells print like Python str(): lists comma-joined, booleans True/False, null empty', () => {
    expect(cellText(['qcow2', 'raw'])).toBe('qcow2,raw');
    expect(cellText(true)).toBe('True');
    expect(cellText(false)).toBe('False');
    expect(cellText(null)).toBe('');
    expect(cellText(42)).toBe('42');
  });
});
