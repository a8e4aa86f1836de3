/**
 * One ajv error → one ConfigIssue: the key path in nodepool.yaml terms, what is
 * wrong (with the offending value) and what is allowed.
 */
import type { ErrorObject } from 'ajv';
import type { ConfigIssue } from './config-issue.js';
import { formatKeyPath, isRecord, parseJsonPointer, type PathSegment } from './key-path.js';

export interface LocatedIssue {
  issue: ConfigIssue;
  segments: PathSegment[];
}

export function issueDepth(located: LocatedIssue): number {
  return located.segments.length;
}

export function ajvErrorToIssue(
  err: ErrorObject,
  data: unknown,
  root: unknown,
  prefix: readonly PathSegment[],
): LocatedIssue {
  const segments = [...prefix, ...parseJsonPointer(err.instancePath, data)];
  return { issue: { keyPath: formatKeyPath(segments, root), problem: describe(err) }, segments };
}

function describe(err: ErrorObject): string {
  const parent: Record<string, unknown> = isRecord(err.parentSchema) ? err.parentSchema : {};
  const hint = typeof parent['errorHint'] === 'string' ? parent['errorHint'] : undefined;
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'type': {
      const base = `must be ${describeTypes(parent['type'])}, got ${describeValue(err.data)}`;
      return hint ? `${base} (${hint})` : base;
    }
    case 'required':
      return `missing required key "${String(params['missingProperty'])}"`;
    case 'additionalProperties': {
      const allowed = isRecord(parent['properties']) ? Object.keys(parent['properties']) : [];
      return `unknown key "${String(params['additionalProperty'])}"; allowed: ${allowed.join(', ')}`;
    }
    case 'enum': {
      const allowed = Array.isArray(params['allowedValues']) ? params['allowedValues'] : [];
      const shown = allowed.map((v) => (v === null ? 'null' : String(v))).join(', ');
      return `must be one of: ${shown}; got ${describeValue(err.data)}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${String(params['comparison'])} ${String(params['limit'])}, got ${describeValue(err.data)}`;
    case 'minLength':
      return params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters`;
    case 'pattern':
      return `${hint ?? `must match ${String(params['pattern'])}`}, got ${describeValue(err.data)}`;
    default:
      return err.message ?? `fails ${err.keyword}`;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'a mapping',
  null: 'null',
};

/** Types a key accepts, leaving out `null` when there are others (null just means "unset"). */
function describeTypes(type: unknown): string {
  const all = (Array.isArray(type) ? type : [type]).map(String);
  const shown = all.length > 1 ? all.filter((t) => t !== 'null') : all;
  return shown.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

/** The offending value as the operator wrote it, short. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `a date (${value.toISOString().slice(0, 10)})`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}
