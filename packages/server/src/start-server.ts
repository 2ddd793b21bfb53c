import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FsBlobStore, openMetadataStore, type MetadataStore } from '@plugboard/store';
import { buildApp } from './app/build-app.js';
import { bootstrapRegistry } from './app/bootstrap.js';
import { createServerLogger, type ServerLoggerOption } from './app/server-logger.js';
import { defaultWebUiFolder, registerWebUi } from './app/web-ui.js';
import { createAuthenticator } from './auth/authenticate.js';
import { Catalog } from './catalog/catalog.js';
import { buildSources, type ServerSources } from './catalog/build-sources.js';
import { DEFAULT_COLLECTION_CONCURRENCY, type ServerConfig } from './config/server-config.js';
import { openProviderServices, type ProviderServices } from './providers/provider-services.js';
import { providersUsingPluginFrom } from './repositories/local/providers-using-plugin.js';

/** A running registry server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: MetadataStore;
  /** `http://host:port`, with the port actually bound. */
  readonly origin: string;
  /** The admin token when this start generated one (first start without `PLUGBOARD_ADMIN_TOKEN`). */
  readonly generatedAdminToken: string | undefined;
  /** Finishes in-flight requests, stops watchers, closes the store. */
  close(): Promise<void>;
}

/**
 * The composition root: opens the store and blob store chosen by the config, loads repositories,
 * builds the app and listens. `plugboard serve` and `npm start` call this.
 */
export async function startServer(
  config: ServerConfig,
  logger: ServerLoggerOption = false,
): Promise<RunningServer> {
  const { logger: log, close: closeLog } = createServerLogger(config.logLevel, logger);
  await mkdir(config.dataDir, { recursive: true });
  const store = await openMetadataStore(config.database);
  let providers: ProviderServices | undefined;
  let sources: ServerSources | undefined;
  try {
    const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
    const { generatedAdminToken } = await bootstrapRegistry(store, config.adminToken);
    providers = await openProviderServices({
      database: config.database,
      dataDir: config.dataDir,
      secretKey: config.secretKey,
      concurrency: config.collectionConcurrency ?? DEFAULT_COLLECTION_CONCURRENCY,
      // Plugins' stderr and collection runs log here; never with secrets in the fields.
      logger: log?.child({ name: 'providers' }),
    });
    sources = await buildSources({
      config,
      store,
      blobs,
      logger: log?.child({ name: 'repositories' }),
      providersUsingPlugin: providersUsingPluginFrom(store, providers.store),
    });
    const catalog = new Catalog(sources.forScope);
    const app = await buildApp(
      {
        config,
        store,
        blobs,
        catalog,
        authenticate: createAuthenticator({
          store,
          adminPassword: config.adminPassword,
          passwordFailuresPerMinute: config.passwordFailuresPerMinute,
        }),
        refresh: sources.refresh,
        providers: providers.service,
      },
      { logger: log },
    );
    // The web catalog at `/`, when `npm run build` has built it (packages/web).
    await registerWebUi(app, defaultWebUiFolder());
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const opened = { providers, sources };
    return {
      app,
      store,
      origin: `http://${host}:${port}`,
      generatedAdminToken,
      async close() {
        await app.close();
        await opened.providers.close();
        await opened.sources.close();
        await store.close();
        closeLog();
      },
    };
  } catch (error) {
    await sources?.close();
    await providers?.close();
    await store.close();
    closeLog();
    throw error;
  }
}
