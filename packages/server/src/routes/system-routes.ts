import type { RouteModule } from './route-module.js';
import { requireRole } from '../auth/principal.js';

/** `GET /healthz` (the process answers), `GET /readyz` (the store answers), `POST /refresh`. */
export const systemRoutes: RouteModule = (api, context) => {
  api.get('/healthz', async () => ({ status: 'ok' }));
  api.get('/readyz', async () => {
    await context.store.ping();
    return { status: 'ready', store: context.store.backend };
  });
  api.post('/refresh', async (request) => {
    requireRole(request.principal, 'admin');
    return context.refresh();
  });
};
