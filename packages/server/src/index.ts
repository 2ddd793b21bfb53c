/**
 * @plugboard/server — the registry server. `startServer(config)` is the composition root;
 * `buildApp(context)` builds the Fastify app over ready parts (tests use `inject()`).
 */
export { startServer } from './start-server.js';
export type { RunningServer } from './start-server.js';
export { buildApp, API_PREFIX } from './app/build-app.js';
export type { BuildAppOptions } from './app/build-app.js';
export type { ServerContext } from './app/server-context.js';
export { loadServerConfig } from './config/load-server-config.js';
export type { ServerFlags } from './config/load-server-config.js';
export {
  DEFAULT_PORT,
  DEFAULT_DATA_DIR,
  DEFAULT_MAX_PUBLISH_BYTES,
} from './config/server-config.js';
export type { ServerConfig, RemoteConfig } from './config/server-config.js';
export { bootstrapRegistry } from './app/bootstrap.js';
export { DEFAULT_DOMAIN_ID } from './auth/authenticate.js';
export { Catalog, MAX_MERGED_LIST_DEPTH } from './catalog/catalog.js';
export type { CatalogPage, CatalogQuery } from './catalog/catalog.js';
export type {
  PluginSource,
  CatalogScope,
  SourcePage,
  SourceQuery,
  ArtifactStream,
} from './catalog/plugin-source.js';
export type {
  PluginSummary,
  PluginDetail,
  VersionView,
  RepositoryType,
  RepositoryRef,
} from './catalog/plugin-view.js';
