import type { RouteModule } from './route-module.js';
import { pluginReadRoutes } from './plugin-read-routes.js';
import { pluginWriteRoutes } from './plugin-write-routes.js';
import { registryIndexRoutes } from './registry-index-routes.js';
import { repositoryRoutes } from './repository-routes.js';
import { systemRoutes } from './system-routes.js';
import { tenantRoutes } from './tenant-routes.js';

/** Every route module under `/api/v1`, in registration order. */
export const API_ROUTES: readonly RouteModule[] = [
  systemRoutes,
  tenantRoutes,
  pluginReadRoutes,
  pluginWriteRoutes,
  registryIndexRoutes,
  repositoryRoutes,
];
