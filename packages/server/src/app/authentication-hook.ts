import { isPlugboardError } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import { API_KEY_HEADER, type Authenticate } from '../auth/authenticate.js';

/**
 * Sets `request.principal` from the Authorization (or X-API-Key) header before any route runs. A
 * callback hook, not an async one: a request without either (most anonymous reads) costs no
 * promise. A 429 for too many wrong passwords carries `Retry-After`.
 */
export function installAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', (request, reply, done) => {
    const authorization = request.headers.authorization;
    const apiKey = request.headers[API_KEY_HEADER];
    if ((authorization === undefined || authorization === '') && apiKey === undefined) {
      done();
      return;
    }
    authenticate(authorization, typeof apiKey === 'string' ? apiKey : apiKey?.[0], request.ip).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => {
        const retryAfter = isPlugboardError(error)
          ? error.details?.['retry_after_seconds']
          : undefined;
        if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
        done(error as Error);
      },
    );
  });
}
