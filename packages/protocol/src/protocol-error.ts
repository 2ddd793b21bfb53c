/** One problem found in a protocol message, with the dot-path of the field (empty for the root). */
export interface ProtocolProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Codes a `ProtocolError` may carry. They are codes from Plugboard's error table (`@plugboard/core`),
 * repeated here as strings because this package imports nothing; the host maps them to
 * `PlugboardError`s.
 */
export type ProtocolErrorCode =
  'PLUGIN_PROTOCOL_ERROR' | 'INVALID_ARGUMENT' | 'PAYLOAD_TOO_LARGE' | 'USAGE';

/**
 * A message that does not follow plugboard/1. `code` says whose fault it is: `PLUGIN_PROTOCOL_ERROR`
 * for what a plugin printed or answered, `INVALID_ARGUMENT` for a request body sent to a plugin,
 * `PAYLOAD_TOO_LARGE` for a line over its limit, `USAGE` for a bad plugin command line.
 *
 * @example
 * try { parseHandshakeLine(line); } catch (e) { if (e instanceof ProtocolError) console.log(e.code, e.problems); }
 */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  readonly problems: readonly ProtocolProblem[];

  constructor(
    code: ProtocolErrorCode,
    message: string,
    options: { problems?: readonly ProtocolProblem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.problems = options.problems ?? [];
  }
}

/** True when `error` is a `ProtocolError` (optionally of one code). */
export function isProtocolError(error: unknown, code?: ProtocolErrorCode): error is ProtocolError {
  return error instanceof ProtocolError && (code === undefined || error.code === code);
}

/**
 * Builds a `ProtocolError` listing every problem; the message names the first few paths so a human
 * sees them without reading `problems`.
 */
export function protocolProblemsError(
  code: ProtocolErrorCode,
  subject: string,
  problems: readonly ProtocolProblem[],
): ProtocolError {
  const shown = problems
    .slice(0, 3)
    .map((p) => (p.path === '' ? p.message : `${p.path}: ${p.message}`))
    .join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return new ProtocolError(code, `${subject} is invalid: ${shown}${more}`, { problems });
}
