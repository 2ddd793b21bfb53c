import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { installErrorHandling } from './error-handler.js';
import type { ServerContext } from './server-context.js';
import { API_ROUTES } from '../routes/api-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or undefined for an anonymous request. */
    principal: Principal | undefined;
  }
}

/** The prefix of the registry API: the URL clients configure is `<origin>/api/v1`. */
export const API_PREFIX = '/api/v1';

/** Options of `buildApp` beyond the server's parts. */
export interface BuildAppOptions {
  /** Fastify's logger option: `false` in tests, a pino options object in `main.ts`. */
  readonly logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the Fastify app over ready parts (no I/O here): error handling, authentication, routes.
 * Tests call it with real stores and use `app.inject()`.
 */
export async function buildApp(
  context: ServerContext,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: context.config.maxPublishBytes,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });
  installErrorHandling(app);
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    request.principal = await context.authenticate(request.headers.authorization);
  });
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  await app.register(
    async (api) => {
      for (const register of API_ROUTES) register(api, context);
    },
    { prefix: API_PREFIX },
  );
  return app;
}
