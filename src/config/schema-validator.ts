/**
 * Runs a JSON Schema (schema/*.ts) over parsed YAML with ajv and turns ajv's
 * errors into ConfigIssues with operator-readable key paths.
 */
import { Ajv, type SchemaObject, type ValidateFunction } from 'ajv';
import { ajvErrorToIssue, issueDepth } from './ajv-error-message.js';
import type { ConfigIssue } from './config-issue.js';
import type { PathSegment } from './key-path.js';

let ajv: Ajv | undefined;
const compiled = new WeakMap<SchemaObject, ValidateFunction>();

/**
 * @param root   the whole document, for naming list items in key paths
 * @param prefix where `data` sits inside `root` (e.g. ['providers', 3])
 */
export function validateAgainst(
  schema: SchemaObject,
  data: unknown,
  root: unknown = data,
  prefix: readonly PathSegment[] = [],
): ConfigIssue[] {
  const validate = compile(schema);
  if (validate(data)) return [];
  const located = (validate.errors ?? []).map((err) => ajvErrorToIssue(err, data, root, prefix));
  // most specific (deepest) first; the sort is stable, so document order holds within a depth
  located.sort((a, b) => issueDepth(b) - issueDepth(a));
  const seen = new Set<string>();
  return located
    .map(({ issue }) => issue)
    .filter((issue) => {
      const key = `${issue.keyPath}\0${issue.problem}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function compile(schema: SchemaObject): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = instance().compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function instance(): Ajv {
  if (!ajv) {
    // allErrors: report every problem of a file at once; verbose: the messages need the schema and data
    ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword({ keyword: 'errorHint', schemaType: 'string' });
  }
  return ajv;
}
