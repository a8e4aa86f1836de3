/**
 * Small JSON Schema builders shared by the nodepool.yaml schemas, so each part
 * file reads like upstream's voluptuous dicts.
 *
 * `errorHint` is a Kiln annotation keyword (registered in schema-validator.ts):
 * text appended to type/pattern errors to say what is allowed.
 */
import type { SchemaObject } from 'ajv';

export const str: SchemaObject = { type: 'string' };
export const nonEmptyStr: SchemaObject = { type: 'string', minLength: 1 };
export const int: SchemaObject = { type: 'integer' };
export const num: SchemaObject = { type: 'number' };
export const bool: SchemaObject = { type: 'boolean' };
/** voluptuous `dict`: any mapping */
export const dict: SchemaObject = { type: 'object' };
export const strList: SchemaObject = { type: 'array', items: str };
/** voluptuous `{str: str}` */
export const strMap: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'string', errorHint: 'quote values YAML would read as numbers or booleans' },
};
/** voluptuous `v.Coerce(float)`: a number or a numeric string */
export const numberLike: SchemaObject = {
  type: ['number', 'string'],
  pattern: '^\\s*[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?\\s*$',
  errorHint: 'must be a number',
};

/** Also accept null (YAML `key:` with no value), which the loader treats as "not set". */
export function nullable(schema: SchemaObject): SchemaObject {
  const types: string[] = Array.isArray(schema['type']) ? schema['type'] : [schema['type'] as string];
  return { ...schema, type: [...types, 'null'] };
}

/** A list of mappings whose keys the launcher owns: typed where we read them, open otherwise. */
export function openList(properties: Record<string, SchemaObject> = {}, required: string[] = []): SchemaObject {
  return { type: 'array', items: { type: 'object', properties, required, additionalProperties: true } };
}

/** A strict mapping: unknown keys are errors, as with voluptuous. */
export function strictObject(properties: Record<string, SchemaObject>, required: string[] = []): SchemaObject {
  return { type: 'object', properties, required, additionalProperties: false };
}
