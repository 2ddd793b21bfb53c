import type { SchemaCheck } from '@plugboard/core';

/** Ajv's (draft 2020-12, no `strictNumbers`) test for each JSON type, without coercion. */
const TYPE_TESTS = new Map<string, (value: unknown) => boolean>([
  ['object', (value) => typeof value === 'object' && value !== null && !Array.isArray(value)],
  ['array', (value) => Array.isArray(value)],
  ['string', (value) => typeof value === 'string'],
  ['number', (value) => typeof value === 'number'],
  ['integer', (value) => typeof value === 'number' && !(value % 1) && !Number.isNaN(value)],
  ['boolean', (value) => typeof value === 'boolean'],
  ['null', (value) => value === null],
]);

/** Keywords that do not constrain a value. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default']);

const ACCEPT_ANYTHING: SchemaCheck = () => [];

/**
 * The check for a trivial schema, without loading or compiling anything: `{}` (accepts anything)
 * or one that only says `type` with one JSON type name, such as `{"type": "object"}`, the most
 * common input schema (same verdict and problem as Ajv: `must be <type>` at the root). Annotations
 * (`title`, `description`, …) may be present. `undefined` for any other schema.
 */
export function trivialSchemaCheck(schema: object): SchemaCheck | undefined {
  const { type, ...rest } = schema as Record<string, unknown>;
  if (!Object.keys(rest).every((key) => ANNOTATIONS.has(key))) return undefined;
  if (type === undefined) return ACCEPT_ANYTHING;
  const test = typeof type === 'string' ? TYPE_TESTS.get(type) : undefined;
  if (test === undefined) return undefined;
  return (value) => (test(value) ? [] : [{ path: '', message: `must be ${type as string}` }]);
}
