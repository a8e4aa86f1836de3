/**
 * Parse YAML the way upstream does (PyYAML `safe_load`, YAML 1.1), so that a
 * nodepool.yaml means the same to Kiln as to Python: `yes`/`on` are booleans,
 * `0777` is octal, `<<` merge keys work, duplicate keys are allowed (last wins).
 *
 * The `yaml` package's 1.1 schema is a little wider than PyYAML's resolver:
 * it also reads `y`/`n` as booleans, `1e3` (no dot) as a float and `09` as an
 * integer, where PyYAML keeps those as strings (an env-var `FOO: n` must stay
 * "n"). Those scalar tags are replaced by PyYAML's regular expressions
 * (yaml/resolver.py).
 */
import {
  parseDocument,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type ScalarTag,
  type SchemaOptions,
  type Tags,
} from 'yaml';

const PYYAML_TESTS = {
  true: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  false: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  float: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)$/,
  floatExp: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)[eE][-+][0-9]+$/,
  int: /^[-+]?(?:0|[1-9][0-9_]*)$/,
};

const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  uniqueKeys: false,
  keepSourceTokens: true,
  customTags: pyyamlTags,
};

export function parsePyYaml(text: string): Document.Parsed {
  return parseDocument(text, OPTIONS);
}

function pyyamlTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || !('test' in tag) || !(tag.test instanceof RegExp)) return tag;
    const test = replacementTest(tag.tag, tag.format, tag.test);
    return test ? ({ ...tag, test } as ScalarTag) : tag;
  });
}

function replacementTest(tagName: string, format: string | undefined, test: RegExp): RegExp | undefined {
  switch (tagName) {
    case 'tag:yaml.org,2002:bool':
      return test.test('true') ? PYYAML_TESTS.true : PYYAML_TESTS.false;
    case 'tag:yaml.org,2002:float':
      if (format === 'EXP') return PYYAML_TESTS.floatExp;
      return test.test('1.5') ? PYYAML_TESTS.float : undefined; // leave .inf/.nan alone
    case 'tag:yaml.org,2002:int':
      return format === undefined ? PYYAML_TESTS.int : undefined;
    default:
      return undefined;
  }
}
