import type { RouteModule } from './route-module.js';
import { adminRoutes } from './admin-routes.js';
import { artifactRoutes } from './artifact-routes.js';
import { pluginReadRoutes } from './plugin-read-routes.js';
import { pluginWriteRoutes } from './plugin-write-routes.js';
import { providerApiRoutes } from './provider-api-routes.js';
import { publishRoutes } from './publish-routes.js';
import { registryIndexRoutes } from './registry-index-routes.js';
import { repositoryRoutes } from './repository-routes.js';
import { systemRoutes } from './system-routes.js';
import { tenantRoutes } from './tenant-routes.js';
import { versionAdminRoutes } from './version-admin-routes.js';

/** Every route module under `/api/v1`, in registration order. */
export const API_ROUTES: readonly RouteModule[] = [
  systemRoutes,
  tenantRoutes,
  pluginReadRoutes,
  pluginWriteRoutes,
  registryIndexRoutes,
  repositoryRoutes,
  publishRoutes,
  artifactRoutes,
  versionAdminRoutes,
  providerApiRoutes,
  adminRoutes,
];
