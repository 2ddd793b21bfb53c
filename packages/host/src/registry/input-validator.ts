import { compileSchema, problemsError, type Capability, type SchemaCheck } from '@plugboard/core';
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

function compileOnce(schema: object): SchemaCheck {
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

/**
 * Checks call input against the JSON Schema a capability declares for the endpoint, before anything
 * is sent. Schemas are compiled once per schema text in the process (see `compiledByText`).
 */
export class InputValidator {
  readonly #compiled = new WeakMap<object, SchemaCheck>();

  /** Throws `INVALID_ARGUMENT` listing every problem with its dot-path; no schema means any input. */
  check(capability: Capability, endpoint: string, input: unknown, subject: string): void {
    const schema = capability.schemas?.[endpoint];
    if (schema === undefined) return;
    let check = this.#compiled.get(schema);
    if (check === undefined) {
      check = compileOnce(schema);
      this.#compiled.set(schema, check);
    }
    const problems = check(input);
    if (problems.length > 0) {
      throw problemsError('INVALID_ARGUMENT', `${subject}: input is invalid`, problems, {
        endpoint,
      });
    }
  }
}
