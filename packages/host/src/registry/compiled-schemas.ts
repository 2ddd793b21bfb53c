import { compileSchema, type SchemaCheck } from '@plugboard/core';
import { trivialSchemaCheck } from './trivial-schema-check.js';

/** Distinct schema texts whose compiled checks are kept for the life of the process. */
const MAX_COMPILED_SCHEMAS = 1_000;

/**
 * Compiled checks by schema text, shared by every host in the process: a new `PluginHost`, or a
 * rediscovery, brings the same schemas as new objects, and compiling one with Ajv costs
 * milliseconds (tens for the first one in a process), on the path of the call that starts the
 * plugin. Ajv also refuses a second schema object with the same `$id`.
 */
const compiledByText = new Map<string, SchemaCheck>();

/**
 * The check for a JSON Schema, compiled at most once per schema text in the process; trivial
 * schemas (`{}`, type-only) without Ajv. Throws Ajv's error for an invalid schema.
 */
export function compileSchemaOnce(schema: object): SchemaCheck {
  const text = JSON.stringify(schema);
  let check = compiledByText.get(text);
  if (check === undefined) {
    check = trivialSchemaCheck(schema) ?? compileSchema(schema);
    if (compiledByText.size >= MAX_COMPILED_SCHEMAS) {
      const oldest = compiledByText.keys().next();
      if (oldest.done !== true) compiledByText.delete(oldest.value);
    }
    compiledByText.set(text, check);
  }
  return check;
}
