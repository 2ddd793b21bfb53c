import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * The access log: one line per response with the method, URL, status and time taken, on the
 * request's child logger (so it carries `reqId`); `error` level when the response failed. Fastify's
 * default writes two lines per request (one on arrival, one at the end): half the lines, the same facts.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {
    // Logged with the outcome in requestCompleted.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
