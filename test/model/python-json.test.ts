import { execa } from 'execa';
import { PyFloat, pythonFloatRepr, pythonJsonDumps, type PyJson } from '../../src/model/python-json.js';

// Each case is rendered by /usr/bin/python3's json.dumps for comparison; floats
// that are integral are marked so Python sees a float too.
const FLOATS = [
  1718000000.12, 1718000000, 0.1, 0.0001, 0.00001, 1e16, 1e15 + 0.5, 123456789012345678, -2.5, 1.5e-7, 1 / 3, 5e-324,
  1.7976931348623157e308, 100, 0,
];
const STRINGS = ['plain', 'quote " and \\ backslash', 'tab\tnl\ncr\rbs\bff\f', '\u0001\u001f\u007f', 'ünïcødé €', '😀 astral', '\ud800 lone'];

async function python(expression: string): Promise<string> {
  const { stdout } = await execa('/usr/bin/python3', ['-c', `import json, sys; sys.stdout.write(${expression})`]);
  return stdout;
}

test('float repr matches Python', async () => {
  const ours = FLOATS.map(pythonFloatRepr);
  const theirs = JSON.parse(await python(`json.dumps([repr(float(x)) for x in ${JSON.stringify(FLOATS.map(String))}])`));
  expect(ours).toEqual(theirs);
});

test('json.dumps output matches Python byte for byte', async () => {
  const value: PyJson = {
    state: 'ready',
    state_time: new PyFloat(1718000000),
    formats: 'qcow2,raw',
    n: 0,
    big: 12345678901234,
    list: [1, 2.5, null, true, false, []],
    empty: {},
    strings: STRINGS,
  };
  const py = `json.dumps({"state": "ready", "state_time": 1718000000.0, "formats": "qcow2,raw", "n": 0, "big": 12345678901234,
    "list": [1, 2.5, None, True, False, []], "empty": {}, "strings": json.loads(sys.argv[1])})`;
  const { stdout } = await execa('/usr/bin/python3', ['-c', `import json, sys; sys.stdout.write(${py})`, JSON.stringify(STRINGS)]);
  expect(pythonJsonDumps(value)).toBe(stdout);
});
