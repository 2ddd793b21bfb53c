import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PlugboardError, isPlugboardError, type ErrorCode, type Problem } from '@plugboard/core';

/** Fastify's own error codes that are the client's fault, mapped to ours. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_ARGUMENT',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_ARGUMENT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'PARSE_ERROR',
  FST_ERR_CTP_MULTIPLE_CONTENT_TYPES: 'INVALID_ARGUMENT',
  FST_ERR_VALIDATION: 'INVALID_ARGUMENT',
  FST_ERR_BAD_URL: 'INVALID_ARGUMENT',
  FST_ERR_MAX_PARAM_LENGTH: 'INVALID_ARGUMENT',
};

/** Clearer messages than Fastify's for some of its client errors. */
const FASTIFY_MESSAGES: Readonly<Record<string, string>> = {
  FST_STATIC_FORBIDDEN_PATH:
    'the file path is not allowed (a NUL byte, a parent folder or a name too long)',
};

/** Codes of other 4xx errors of Fastify and its plugins, by HTTP status. */
const CLIENT_STATUS_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Converts whatever a route threw into a PlugboardError; unknown failures become INTERNAL. */
export function toHttpError(error: unknown): PlugboardError {
  if (isPlugboardError(error)) return error;
  const fastifyError = error as Partial<FastifyError> & {
    validation?: unknown[];
    validationContext?: string;
  };
  if (Array.isArray(fastifyError.validation)) {
    const where = fastifyError.validationContext ?? 'request';
    const problems: Problem[] = fastifyError.validation.map((item) =>
      validationProblem(item, where),
    );
    return new PlugboardError(
      'INVALID_ARGUMENT',
      `invalid ${where}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      {
        details: { problems },
      },
    );
  }
  const code = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (code !== undefined) return new PlugboardError(code, fastifyError.message ?? code);
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode === 413) {
    return new PlugboardError('PAYLOAD_TOO_LARGE', 'request body too large');
  }
  const byStatus =
    typeof fastifyError.statusCode === 'number'
      ? CLIENT_STATUS_CODES[fastifyError.statusCode]
      : undefined;
  if (byStatus !== undefined) {
    const message =
      (fastifyError.code === undefined ? undefined : FASTIFY_MESSAGES[fastifyError.code]) ??
      fastifyError.message;
    return new PlugboardError(
      byStatus,
      message === undefined || message === '' ? byStatus : message,
    );
  }
  return new PlugboardError('INTERNAL', 'internal error', { cause: error });
}

function validationProblem(item: unknown, where: string): Problem {
  const record = item as {
    instancePath?: string;
    message?: string;
    params?: Record<string, unknown>;
  };
  const base = (record.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = record.params?.['missingProperty'];
  const extra = record.params?.['additionalProperty'];
  const key = typeof missing === 'string' ? missing : typeof extra === 'string' ? extra : undefined;
  const path = key === undefined ? base : base === '' ? key : `${base}.${key}`;
  return {
    path: path === '' ? where : `${where}.${path}`,
    message: typeof extra === 'string' ? 'is not allowed here' : (record.message ?? 'is invalid'),
  };
}

/**
 * Ajv coerces `?limit=1e309` to Infinity and then skips `minimum`/`maximum` for a non-finite
 * number, so the route would get Infinity (and fail to serialize it: a 500). After validation,
 * every non-finite number in the query string or path parameters is refused here instead.
 */
async function refuseNonFiniteNumbers(request: FastifyRequest): Promise<void> {
  for (const [where, values] of [
    ['querystring', request.query],
    ['params', request.params],
  ] as const) {
    if (typeof values !== 'object' || values === null) continue;
    for (const [key, value] of Object.entries(values)) {
      const numbers: unknown[] = Array.isArray(value) ? value : [value];
      if (numbers.some((n) => typeof n === 'number' && !Number.isFinite(n))) {
        const problem = { path: `${where}.${key}`, message: 'must be a finite number' };
        throw new PlugboardError(
          'INVALID_ARGUMENT',
          `invalid ${where}: ${problem.path}: ${problem.message}`,
          {
            details: { problems: [problem] },
          },
        );
      }
    }
  }
}

/** Whether a JSON schema (of a query string or path parameters) has a number or integer. */
function takesNumbers(schema: unknown): boolean {
  if (schema === undefined || schema === null) return false;
  const text = JSON.stringify(schema);
  return text.includes('"type":"integer"') || text.includes('"type":"number"');
}

/**
 * Fastify's `frameworkErrors` option: a URL that is no valid percent-encoding (`%ff`) or a path
 * parameter longer than the router's limit gets our error body instead of Fastify's own.
 * Fastify answers these before any hook or error handler, so only this option reaches them.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const failure = toHttpError(error);
  const message =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'a path segment of the URL is too long'
      : 'the URL is not valid percent-encoding';
  const body = new PlugboardError(failure.code, message).toJSON().error;
  void reply.status(failure.httpStatus).send({ error: { ...body, requestId: request.id } });
}

/**
 * Every error leaves as `{"error":{code, message, details?, requestId}}` with the table's status.
 * A 5xx body never carries internals: the cause is logged with the request id instead.
 */
export function installErrorHandling(app: FastifyInstance): void {
  // Only routes whose query string or path parameters hold numbers pay for the check.
  app.addHook('onRoute', (route) => {
    if (!takesNumbers(route.schema?.querystring) && !takesNumbers(route.schema?.params)) return;
    const existing = route.preHandler;
    route.preHandler = [
      refuseNonFiniteNumbers,
      ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing]),
    ];
  });
  app.setErrorHandler((error, request, reply) => {
    const failure = toHttpError(error);
    const status = failure.httpStatus;
    if (status >= 500) {
      request.log.error({ err: error, code: failure.code }, 'request failed');
    }
    const body = failure.toJSON();
    const safe =
      status >= 500 && failure.code === 'INTERNAL'
        ? { code: failure.code, message: 'internal error' }
        : body.error;
    void reply.status(status).send({ error: { ...safe, requestId: request.id } });
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new PlugboardError(
      'NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    );
    void reply.status(404).send({ error: { ...error.toJSON().error, requestId: request.id } });
  });
}
