import { PlugboardError } from '@plugboard/core';
import { isProtocolError } from '@plugboard/protocol';

/**
 * Turns a `ProtocolError` from `@plugboard/protocol` into a `PlugboardError` of the same code,
 * naming `subject` (usually the plugin) and keeping the problem list; other errors pass through.
 */
export function fromProtocolError(
  error: unknown,
  subject: string,
  details: Readonly<Record<string, unknown>> = {},
): unknown {
  if (!isProtocolError(error)) return error;
  return new PlugboardError(error.code, `${subject}: ${error.message}`, {
    cause: error,
    details: { ...details, problems: error.problems },
  });
}
