import type { FastifyError, FastifyInstance } from 'fastify';
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
 * Every error leaves as `{"error":{code, message, details?, requestId}}` with the table's status.
 * A 5xx body never carries internals: the cause is logged with the request id instead.
 */
export function installErrorHandling(app: FastifyInstance): void {
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
