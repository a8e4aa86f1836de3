import { parsePyYaml } from '../../src/config/pyyaml-compat.js';
import { pythonFloatRepr, pythonStr } from '../../src/config/python-str.js';

describe('PyYAML-compatible scalars', () => {
  test.each([
    ['yes', true],
    ['On', true],
    ['off', false],
    ['NO', false],
    ['y', 'y'],
    ['n', 'n'],
    ['1e3', '1e3'],
    ['1.0e+3', 1000],
    ['1.5', 1.5],
    ['0777', 511],
    ['0x1f', 31],
    ['09', '09'],
    ['1_000', 1000],
    ['~', null],
    ['2001-12-14', new Date('2001-12-14T00:00:00Z')],
  ])('%s', (scalar, expected) => {
    expect(parsePyYaml(`v: ${scalar}\n`).toJS()).toEqual({ v: expected });
  });
});

describe('Python str() of YAML numbers', () => {
  test.each([
    [21, false, '21'],
    [10, true, '10.0'],
    [22.04, true, '22.04'],
    [1e16, true, '1e+16'],
    [1.5e-5, true, '1.5e-05'],
    [0.0001, true, '0.0001'],
    [-0, true, '-0.0'],
    [Infinity, true, 'inf'],
    [NaN, true, 'nan'],
  ])('%p (float: %p) → %p', (value, isFloat, expected) => {
    expect(pythonStr(value, isFloat)).toBe(expected);
  });

  test('booleans and strings', () => {
    expect(pythonStr(true, false)).toBe('True');
    expect(pythonStr('bookworm', false)).toBe('bookworm');
    expect(pythonFloatRepr(123456789.125)).toBe('123456789.125');
  });
});
