import type { RouteModule } from './route-module.js';
import { systemRoutes } from './system-routes.js';
import { tenantRoutes } from './tenant-routes.js';

/** Every route module under `/api/v1`, in registration order. */
export const API_ROUTES: readonly RouteModule[] = [systemRoutes, tenantRoutes];
