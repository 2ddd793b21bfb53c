import { isJsonObject } from './json-shape.js';

/** The body of every error answer, and the last line of a stream that failed. */
export interface ErrorBody {
  readonly error: {
    /** A Plugboard error code, e.g. `INVALID_ARGUMENT`, `NOT_FOUND`, `PLUGIN_CALL_FAILED`. */
    readonly code: string;
    readonly message: string;
    /** Machine-readable detail; for `INVALID_ARGUMENT`, `problems: [{path, message}]`. */
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/** Error codes a plugin commonly answers with; any code from Plugboard's table is allowed. */
export const WIRE_ERROR_CODES = [
  'INVALID_ARGUMENT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'TIMEOUT',
  'ABORTED',
  'UNAVAILABLE',
  'NOT_IMPLEMENTED',
  'PLUGIN_CALL_FAILED',
  'INTERNAL',
] as const;

/** What a code looks like: upper-case words joined by `_`. */
export const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  USAGE: 400,
  INVALID_ARGUMENT: 400,
  CONFIG_INVALID: 400,
  PARSE_ERROR: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  ABORTED: 499,
  NOT_IMPLEMENTED: 501,
  UNAVAILABLE: 503,
  TIMEOUT: 504,
};

/**
 * The HTTP status a plugin answers an error code with. Hosts read the code from the body, not the
 * status; the status only has to be 4xx/5xx and sensible. Unknown codes answer 500.
 */
export function httpStatusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 500;
}

/** Builds an error body. */
export function errorBody(
  code: string,
  message: string,
  details?: Readonly<Record<string, unknown>>,
): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * Reads an error body, or `undefined` when `value` is not one: an object with an `error` object
 * holding string `code` and `message` (`details`, when present, must be an object).
 */
export function parseErrorBody(value: unknown): ErrorBody | undefined {
  if (!isJsonObject(value)) return undefined;
  const error = value['error'];
  if (!isJsonObject(error)) return undefined;
  const { code, message, details } = error;
  if (typeof code !== 'string' || code === '' || typeof message !== 'string') return undefined;
  if (details !== undefined && !isJsonObject(details)) return undefined;
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/**
 * True when a stream line is the error line: the only value in a stream with a top-level `error`
 * key. A value with an `error` key that is not a well-formed error body also counts, so a broken
 * error line still ends the stream as a failure.
 */
export function isStreamErrorLine(value: unknown): boolean {
  return isJsonObject(value) && Object.hasOwn(value, 'error');
}
