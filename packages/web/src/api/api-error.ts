import { PlugboardError, isErrorCode, isPlugboardError } from '@plugboard/core';

/**
 * Turns an API error body (`{"error":{code,message,details}}`) or a transport failure into a
 * `PlugboardError`, so every part of the page reports failures one way.
 */
export function errorFromBody(status: number, body: unknown): PlugboardError {
  const error =
    typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as Record<string, unknown>;
    if (typeof code === 'string' && isErrorCode(code)) {
      return new PlugboardError(code, typeof message === 'string' ? message : code, {
        details:
          typeof details === 'object' && details !== null
            ? (details as Record<string, unknown>)
            : undefined,
      });
    }
  }
  return new PlugboardError(
    'UNAVAILABLE',
    `the server answered HTTP ${status} without an error body`,
  );
}

/** True when the failure is the caller's own abort (a newer search replaced this one). */
export function isAbort(error: unknown): boolean {
  return (
    (isPlugboardError(error) && error.code === 'ABORTED') ||
    (error instanceof DOMException && error.name === 'AbortError')
  );
}

/** One line for the page: the code and the server's message. */
export function describeError(error: unknown): string {
  if (isPlugboardError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
