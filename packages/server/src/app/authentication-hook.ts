import type { FastifyInstance } from 'fastify';
import type { Authenticate } from '../auth/authenticate.js';

/**
 * Sets `request.principal` from the Authorization header before any route runs. A callback hook,
 * not an async one: a request without the header (most anonymous reads) costs no promise.
 */
export function installAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization === '') {
      done();
      return;
    }
    authenticate(authorization).then(
      (principal) => {
        request.principal = principal;
        done();
      },
      (error: unknown) => done(error as Error),
    );
  });
}
