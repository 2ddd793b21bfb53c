import { PlugboardError, isPlugboardError, type ErrorCode } from '@plugboard/core';
import type { CallOutcome } from './circuit-breaker.js';

/** Answers by which a remote says "no such thing": the remote is healthy, the record is absent. */
const ABSENT_CODES: ReadonlySet<ErrorCode> = new Set([
  'NOT_FOUND',
  'PLUGIN_NOT_FOUND',
  'VERSION_NOT_FOUND',
]);

/** True when the remote answered that the plugin or version does not exist. */
export function isAbsentAnswer(error: unknown): boolean {
  return isPlugboardError(error) && ABSENT_CODES.has(error.code);
}

/**
 * Whether an error counts against the remote's circuit: no answer, a timeout, a 5xx, or refused
 * credentials are failures; "not found" and other answers about the request are not; a call this
 * server aborted (shutdown) says nothing about the remote.
 */
export function classifyRemoteError(error: unknown): CallOutcome {
  if (!isPlugboardError(error)) return 'failure';
  if (error.code === 'ABORTED') return 'neutral';
  if (error.httpStatus >= 500) return 'failure';
  if (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN') return 'failure';
  if (error.code === 'RATE_LIMITED') return 'failure';
  return 'success';
}

/**
 * The error this server reports for a failed call to a remote. The remote's answer is not passed
 * on as is: its 401 means *our* token for it is wrong (not the caller's), its 500 means it is
 * broken. Only TIMEOUT, ABORTED and DIGEST_MISMATCH keep their code; everything else is
 * UNAVAILABLE. The remote's details are dropped (they are the remote's business). `label` names
 * the repository in the message.
 */
export function remoteFailure(label: string | undefined, error: unknown): PlugboardError {
  const code: ErrorCode =
    isPlugboardError(error) &&
    (error.code === 'TIMEOUT' || error.code === 'ABORTED' || error.code === 'DIGEST_MISMATCH')
      ? error.code
      : 'UNAVAILABLE';
  const reason = describe(error);
  // Without a label the caller (the catalog's list warning) names the repository itself.
  return new PlugboardError(code, label === undefined ? reason : `${label}: ${reason}`, {
    cause: error,
    details: { repository_type: 'REMOTE', ...remoteCircuit(error) },
  });
}

function describe(error: unknown): string {
  if (!isPlugboardError(error)) return 'internal failure while calling it';
  if (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN') {
    return `it refused this server's credentials (${error.code}: ${error.message})`;
  }
  if (error.details?.['circuit'] !== undefined) return error.message;
  return `${error.code}: ${error.message}`;
}

function remoteCircuit(error: unknown): Record<string, unknown> {
  if (!isPlugboardError(error)) return {};
  const circuit = error.details?.['circuit'];
  const retryAt = error.details?.['retryAt'];
  return circuit === undefined ? {} : { circuit, retry_at: retryAt };
}
