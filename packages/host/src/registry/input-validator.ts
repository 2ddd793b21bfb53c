import { problemsError, type Capability, type SchemaCheck } from '@plugboard/core';
import { compileSchemaOnce } from './compiled-schemas.js';

/**
 * Checks call input against the JSON Schema a capability declares for the endpoint, before anything
 * is sent. Schemas are compiled once per schema text in the process (`compileSchemaOnce`).
 */
export class InputValidator {
  readonly #compiled = new WeakMap<object, SchemaCheck>();

  /** Throws `INVALID_ARGUMENT` listing every problem with its dot-path; no schema means any input. */
  check(capability: Capability, endpoint: string, input: unknown, subject: string): void {
    const schema = capability.schemas?.[endpoint];
    if (schema === undefined) return;
    let check = this.#compiled.get(schema);
    if (check === undefined) {
      check = compileSchemaOnce(schema);
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
