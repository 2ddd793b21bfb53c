import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import { installAuthentication } from './authentication-hook.js';
import { answerFrameworkError, installErrorHandling } from './error-handler.js';
import { ServerMetrics } from './metrics.js';
import { AccessLog } from './request-log.js';
import type { ServerContext } from './server-context.js';
import { API_ROUTES } from '../routes/api-routes.js';
import { INVENTORY_API_PREFIX, INVENTORY_ROUTES } from '../routes/provider-api-routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or undefined for an anonymous request. */
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    /** Prometheus metrics of this app, served at `/api/v1/metrics`. */
    metrics: ServerMetrics;
  }
}

/** The prefix of the registry API: the URL clients configure is `<origin>/api/v1`. */
export const API_PREFIX = '/api/v1';

/** Options of `buildApp` beyond the server's parts. */
export interface BuildAppOptions {
  /** The server's pino logger (requests log through a child per request); none: nothing is logged. */
  readonly logger?: Logger | undefined;
}

/**
 * Builds the Fastify app over ready parts (no I/O here): error handling, authentication, routes.
 * Tests call it with real stores and use `app.inject()`.
 */
export async function buildApp(
  context: ServerContext,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the app's type does not carry pino's.
  const loggerInstance: FastifyBaseLogger | undefined = options.logger;
  const app = Fastify({
    ...(loggerInstance === undefined ? { logger: false } : { loggerInstance }),
    logController: new AccessLog(options.logger),
    // Broken percent-encoding and over-long path segments get our error body too.
    frameworkErrors: answerFrameworkError,
    bodyLimit: context.config.maxPublishBytes,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });
  installErrorHandling(app);
  const metrics = new ServerMetrics();
  app.decorate('metrics', metrics);
  metrics.install(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Plugboard registry API',
        version: '1',
        description:
          'Plugins and versions in MANAGED, LOCAL and REMOTE repositories. Errors are `{"error":{"code","message","details"}}` with the codes of docs/errors.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          basic: { type: 'http', scheme: 'basic' },
        },
      },
      security: [{ bearer: [] }, { basic: [] }],
    },
  });
  // The docs page's assets come from the package itself: no CDN, so it works behind firewalls.
  await app.register(swaggerUi, { routePrefix: `${API_PREFIX}/docs` });
  installAuthentication(app, context.authenticate);
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );
  await app.register(
    async (api) => {
      for (const register of API_ROUTES) register(api, context);
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: API_PREFIX },
  );
  // Seed 004's inventory paths, so its curl commands work as written.
  await app.register(
    async (inventory) => {
      for (const register of INVENTORY_ROUTES) register(inventory, context);
    },
    { prefix: INVENTORY_API_PREFIX },
  );
  return app;
}
