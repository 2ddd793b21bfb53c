import { ERROR_CODE_PATTERN, errorBody, type ErrorBody } from '@plugboard/protocol/error-body';

/**
 * An error a handler throws to answer with a specific Plugboard code, e.g. `NOT_FOUND`. Any error
 * with a string `code` property of that shape (such as core's `PlugboardError`) works the same way.
 *
 * @example
 * throw new PluginError('NOT_FOUND', `no session "${id}"`, { session_id: id });
 */
export class PluginError extends Error {
  override readonly name = 'PluginError';
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    details?: Readonly<Record<string, unknown>>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

/**
 * True for codes that come from Node or libc (`ENOENT`, `ERR_INVALID_ARG_TYPE`) rather than
 * Plugboard's table; they describe the plugin's internals, so they are not passed on as codes.
 */
function isSystemCode(code: string): boolean {
  return code.startsWith('ERR_') || /^E[A-Z0-9]+$/.test(code);
}

/** Why a call was aborted, when the SDK aborted it. */
export type AbortReason = 'timeout' | 'shutdown' | 'client-gone';

/**
 * Maps anything a handler threw to the error body of the answer. Errors with a Plugboard-style
 * `code` keep it (with their message and object `details`); everything else becomes
 * `PLUGIN_CALL_FAILED` with the message only — never a stack. An error thrown after the SDK aborted
 * the call is reported as the abort (`TIMEOUT`, `UNAVAILABLE`).
 */
export function errorToBody(error: unknown, abortReason?: AbortReason): ErrorBody {
  if (abortReason === 'timeout')
    return errorBody('TIMEOUT', 'the call ran past its x-plugboard-timeout-ms and was aborted');
  if (abortReason === 'shutdown')
    return errorBody('UNAVAILABLE', 'the plugin shut down before the call finished');
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as {
      code?: unknown;
      message?: unknown;
      details?: unknown;
    };
    const text = typeof message === 'string' && message !== '' ? message : 'the handler failed';
    if (typeof code === 'string' && ERROR_CODE_PATTERN.test(code) && !isSystemCode(code)) {
      const detailObject =
        typeof details === 'object' && details !== null && !Array.isArray(details)
          ? (details as Record<string, unknown>)
          : undefined;
      return errorBody(code, text, detailObject);
    }
    return errorBody('PLUGIN_CALL_FAILED', text);
  }
  return errorBody(
    'PLUGIN_CALL_FAILED',
    typeof error === 'string' && error !== '' ? error : 'the handler failed',
  );
}
