import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';

const { chindingsSym, lsCacheSym, streamSym, timeSym } = pino.symbols;

/**
 * The access log: one line per response with the method, URL, status and time taken (ms) and the
 * request's `reqId`; `error` level with `err` when the response failed. Fastify's default writes two
 * lines per request (one on arrival, one at the end): half the lines, the same facts.
 *
 * A successful response's line is put together here, field by field, in exactly the JSON pino
 * writes (its level prefix, time and base bindings, taken from the logger) and handed to the
 * logger's stream: formatting it through `logger.info()` costs about 4 µs, a tenth of a cached read.
 */
export class AccessLog extends LogController {
  readonly #logger: Logger | undefined;
  /** Parts of each line as the logger writes them: `{"level":30`, the time, the base bindings. */
  readonly #line:
    | {
        readonly prefix: string;
        readonly time: () => string;
        readonly bindings: string;
        readonly stream: { write(line: string): unknown };
      }
    | undefined;

  constructor(logger?: Logger) {
    super();
    this.#logger = logger;
    if (logger !== undefined) {
      // pino.symbols are pino's documented handles on these internals.
      const internals = logger as unknown as Record<symbol, unknown>;
      this.#line = {
        prefix:
          (internals[lsCacheSym] as Record<number, string>)[logger.levels.values['info'] ?? 30] ??
          '{"level":30',
        time: internals[timeSym] as () => string,
        bindings: internals[chindingsSym] as string,
        stream: internals[streamSym] as { write(line: string): unknown },
      };
    }
  }

  override incomingRequest(): void {
    // Logged with the outcome in requestCompleted.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const responseTime = Math.round(reply.elapsedTime * 100) / 100;
    if (error) {
      const line = { method: request.method, url: request.url, statusCode: reply.statusCode };
      reply.log.error({ ...line, responseTime, err: error }, 'request errored');
      return;
    }
    const line = this.#line;
    if (line === undefined || this.#logger?.isLevelEnabled('info') !== true) return;
    line.stream.write(
      `${line.prefix}${line.time()}${line.bindings},"reqId":${JSON.stringify(request.id)},"method":${JSON.stringify(request.method)},"url":${JSON.stringify(request.url)},"statusCode":${reply.statusCode},"responseTime":${responseTime},"msg":"request completed"}\n`,
    );
  }
}
