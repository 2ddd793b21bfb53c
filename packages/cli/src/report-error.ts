import { PlugboardError, isPlugboardError } from '@plugboard/core';
import type { CliIo } from './cli-io.js';

/** Turns any thrown value into a PlugboardError; unknown failures become INTERNAL. */
export function toPlugboardError(error: unknown): PlugboardError {
  if (isPlugboardError(error)) return error;
  return new PlugboardError('INTERNAL', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}

/** Writes an error for a human (code, message, one line per problem) or as the JSON error body. */
export function reportError(io: CliIo, error: PlugboardError, json: boolean): void {
  if (json) {
    io.stdout(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
    return;
  }
  io.stderr(`error ${error.code}: ${error.summary}\n`);
  for (const problem of error.problems) {
    io.stderr(`  - ${problem.path === '' ? '(root)' : problem.path}: ${problem.message}\n`);
  }
}
