import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { FsBlobStore, openMetadataStore, type MetadataStore } from '@plugboard/store';
import {
  buildApp,
  loadServerConfig,
  bootstrapRegistry,
  type ServerConfig,
} from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { buildSources } from '../../src/catalog/build-sources.js';
import { Catalog } from '../../src/catalog/catalog.js';

/** A registry app over a real SQLite store in a temp folder, for `inject()` tests. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly store: MetadataStore;
  readonly config: ServerConfig;
  /** An admin token of the default domain. */
  readonly adminToken: string;
  /** `{authorization: 'Bearer …'}` for the admin token, or for another secret. */
  auth(secret?: string): { authorization: string };
  close(): Promise<void>;
}

/** Options: extra `ServerFlags`-like settings and environment. */
export interface TestServerOptions {
  readonly managed?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** A database URL; defaults to SQLite in the temp folder. */
  readonly database?: string;
}

/** Builds the whole app the way `startServer` does, without listening. */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = makeTempDir('plugboard-server-');
  const config = await loadServerConfig(
    { data: dir.path, managed: options.managed, database: options.database },
    { PLUGBOARD_LOG_LEVEL: 'silent', ...options.env },
    dir.path,
  );
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  const { generatedAdminToken } = await bootstrapRegistry(store, config.adminToken);
  const adminToken = generatedAdminToken ?? config.adminToken ?? '';
  const sources = await buildSources({ config, store, blobs });
  const app = await buildApp({
    config,
    store,
    blobs,
    catalog: new Catalog(sources.forScope),
    authenticate: createAuthenticator({
      store,
      adminPassword: config.adminPassword,
      passwordFailuresPerMinute: config.passwordFailuresPerMinute,
    }),
    refresh: sources.refresh,
  });
  return {
    app,
    store,
    config,
    adminToken,
    auth: (secret = adminToken) => ({ authorization: `Bearer ${secret}` }),
    async close() {
      await app.close();
      await sources.close();
      await store.close();
      dir.remove();
    },
  };
}
