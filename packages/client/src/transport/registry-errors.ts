import { PlugboardError, isErrorCode, type ErrorCode } from '@plugboard/core';

/** What went wrong where, for messages: never a token or a password. */
export interface CallSite {
  /** The registry URL without credentials. */
  readonly registry: string;
  readonly method: string;
  /** Path below the registry URL, without the query. */
  readonly path: string;
}

/**
 * A registry's error answer as a `PlugboardError`: the server's `{error:{code,message,details}}`
 * keeps its code when it is one of Plugboard's; anything else (a proxy's HTML page, a foreign
 * server) becomes UNAVAILABLE for 5xx/408/429 and INTERNAL otherwise.
 */
export function errorFromResponse(
  site: CallSite,
  status: number,
  bodyText: string,
): PlugboardError {
  const answer = parseErrorBody(bodyText);
  const where = { registry: site.registry, status };
  if (answer !== undefined && isErrorCode(answer.code)) {
    return new PlugboardError(
      answer.code,
      answer.message ?? `${answer.code} from ${site.registry}`,
      {
        details: {
          ...answer.details,
          ...where,
          ...(answer.requestId === undefined ? {} : { requestId: answer.requestId }),
        },
      },
    );
  }
  const code: ErrorCode =
    status >= 500 || status === 408 || status === 429 ? 'UNAVAILABLE' : 'INTERNAL';
  return new PlugboardError(
    code,
    `registry ${site.registry} answered ${site.method} ${site.path} with HTTP ${status} and no Plugboard error body`,
    { details: where },
  );
}

/** A failure before any answer: connection refused, DNS, TLS, reset. */
export function unreachableError(site: CallSite, cause: unknown): PlugboardError {
  const reason = systemReason(cause);
  return new PlugboardError(
    'UNAVAILABLE',
    `registry ${site.registry} is unreachable (${site.method} ${site.path}${reason === undefined ? '' : `: ${reason}`})`,
    { cause, details: { registry: site.registry } },
  );
}

/** The call took longer than its timeout. */
export function timeoutError(site: CallSite, timeoutMs: number): PlugboardError {
  return new PlugboardError(
    'TIMEOUT',
    `registry ${site.registry} did not answer ${site.method} ${site.path} within ${timeoutMs} ms`,
    { details: { registry: site.registry, timeoutMs } },
  );
}

/** The caller's signal fired. */
export function abortedError(site: CallSite, reason: unknown): PlugboardError {
  return new PlugboardError(
    'ABORTED',
    `${site.method} ${site.path} to registry ${site.registry} was aborted`,
    { cause: reason, details: { registry: site.registry } },
  );
}

/** The registry answered 2xx with a body this client cannot use. */
export function unexpectedBodyError(site: CallSite, problem: string): PlugboardError {
  return new PlugboardError(
    'UNAVAILABLE',
    `registry ${site.registry} answered ${site.method} ${site.path} with an unexpected body: ${problem}`,
    { details: { registry: site.registry } },
  );
}

interface ErrorBody {
  readonly code: unknown;
  readonly message: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly requestId: string | undefined;
}

function parseErrorBody(text: string): ErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed['error'])) return undefined;
  const error = parsed['error'];
  return {
    code: error['code'],
    message: typeof error['message'] === 'string' ? error['message'] : undefined,
    details: isRecord(error['details']) ? error['details'] : undefined,
    requestId: typeof error['requestId'] === 'string' ? error['requestId'] : undefined,
  };
}

// fetch wraps system errors: TypeError('fetch failed', {cause: {code: 'ECONNREFUSED', …}}).
function systemReason(error: unknown): string | undefined {
  for (let current = error, depth = 0; isRecord(current) && depth < 4; depth += 1) {
    const code = current['code'];
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (typeof code === 'string' && code.startsWith('UND_ERR')) return code;
    current = current['cause'];
  }
  return error instanceof Error ? error.message : undefined;
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
