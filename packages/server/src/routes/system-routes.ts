import { requireRole } from '../auth/principal.js';
import type { RouteModule } from './route-module.js';

const tags = ['system'];

/**
 * `GET /healthz` (the process answers), `GET /readyz` (the store answers), `GET /metrics`
 * (Prometheus text), `POST /refresh` (re-read MANAGED folders; admin).
 */
export const systemRoutes: RouteModule = (api, context) => {
  api.get('/healthz', { schema: { summary: 'Liveness', tags } }, async () => ({ status: 'ok' }));
  api.get(
    '/readyz',
    { schema: { summary: 'Readiness: the metadata store answers', tags } },
    async () => {
      await context.store.ping();
      return { status: 'ready', store: context.store.backend };
    },
  );
  api.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', tags } },
    async (_request, reply) => {
      const registry = api.metrics.registry;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
  api.post(
    '/refresh',
    { schema: { summary: 'Re-read MANAGED repositories (admin)', tags } },
    async (request) => {
      requireRole(request.principal, 'admin');
      return context.refresh();
    },
  );
};
