import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  FsBlobStore,
  openMetadataStore,
  type BlobStore,
  type MetadataStore,
  type TokenRole,
} from '@plugboard/store';
import {
  buildApp,
  bootstrapRegistry,
  loadServerConfig,
  type ServerConfig,
} from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';
import { installErrorHandling } from '../../src/app/error-handler.js';
import type { ServerContext } from '../../src/app/server-context.js';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { buildSources } from '../../src/catalog/build-sources.js';
import { Catalog } from '../../src/catalog/catalog.js';
import type { TrustedKeys } from '../../src/publish/package-signatures.js';
import { adminRoutes } from '../../src/routes/admin-routes.js';
import { artifactRoutes } from '../../src/routes/artifact-routes.js';
import { createPublishRoutes } from '../../src/routes/publish-routes.js';
import type { PluginImageVersions } from '../../src/repositories/local/plugin-image-versions.js';
import { fakeImageVersions } from './plugin-test-server.js';

/** One token per role of a domain, and the domain's id. */
export type PublishTenant = Readonly<Record<TokenRole, string>> & { readonly domainId: string };

/** A registry app for the publish tests (inject), with its data folder exposed. */
export interface PublishTestServer {
  readonly app: FastifyInstance;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly config: ServerConfig;
  readonly dataDir: string;
  /** Creates a domain with one token per role. */
  tenant(domainId: string): Promise<PublishTenant>;
  /** Digests of every blob on disk (to prove a refusal stored nothing). */
  blobDigests(): string[];
  close(): Promise<void>;
}

/** Options of `createPublishTestServer`. */
export interface PublishTestServerOptions {
  readonly maxPublishBytes?: number;
  readonly managed?: readonly string[];
  /**
   * With trusted keys the app holds only the publish and artifact routes, built with them (the
   * server config has no trusted-keys setting yet); otherwise it is the whole app.
   */
  readonly trustedKeys?: TrustedKeys;
  /** Versions of image plugins; a fake with no images by default (no OCI registry needed). */
  readonly imageVersions?: PluginImageVersions;
  /** The metadata store's URL; SQLite in the temp folder by default. */
  readonly database?: string;
}

/** Builds the app over SQLite and blobs in a temp folder, the way `startServer` does. */
export async function createPublishTestServer(
  options: PublishTestServerOptions = {},
): Promise<PublishTestServer> {
  const dir = makeTempDir('plugboard-publish-');
  const configFile = join(dir.path, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      options.maxPublishBytes === undefined ? {} : { max_publish_bytes: options.maxPublishBytes },
    ),
  );
  const loaded = await loadServerConfig(
    { data: dir.path, config: configFile, managed: options.managed },
    { PLUGBOARD_LOG_LEVEL: 'silent' },
    dir.path,
  );
  const config: ServerConfig = { ...loaded, database: options.database ?? loaded.database };
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  await bootstrapRegistry(store, config.adminToken);
  const sources = await buildSources({
    config,
    store,
    blobs,
    imageVersions: options.imageVersions ?? fakeImageVersions({}),
  });
  const context: ServerContext = {
    config,
    store,
    blobs,
    catalog: new Catalog(sources.forScope),
    authenticate: createAuthenticator({ store, adminPassword: config.adminPassword }),
    refresh: sources.refresh,
  };
  const app =
    options.trustedKeys === undefined
      ? await buildApp(context)
      : await publishOnlyApp(context, options.trustedKeys);
  return {
    app,
    store,
    blobs,
    config,
    dataDir: dir.path,
    async tenant(domainId) {
      if ((await store.getDomain(domainId)) === undefined) {
        await store.createDomain({ id: domainId, name: domainId });
      }
      const secret = async (role: TokenRole) =>
        (await store.createToken({ domainId, name: `${role} token`, role })).secret;
      return {
        domainId,
        admin: await secret('admin'),
        publisher: await secret('publisher'),
        reader: await secret('reader'),
      };
    },
    blobDigests: () => blobDigestsIn(join(config.dataDir, 'blobs')),
    async close() {
      await app.close();
      await sources.close();
      await store.close();
      dir.remove();
    },
  };
}

async function publishOnlyApp(
  context: ServerContext,
  trustedKeys: TrustedKeys,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  installErrorHandling(app);
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    request.principal = await context.authenticate(request.headers.authorization);
  });
  await app.register(
    async (api) => {
      createPublishRoutes({ trustedKeys })(api, context);
      artifactRoutes(api, context);
      adminRoutes(api, context);
    },
    { prefix: '/api/v1' },
  );
  return app;
}

/** `sha256:<hex>` of every blob under a blob store root (`sha256/ab/abcdef…`). */
export function blobDigestsIn(root: string): string[] {
  const digests: string[] = [];
  const base = join(root, 'sha256');
  for (const prefix of safeList(base)) {
    for (const name of safeList(join(base, prefix))) {
      if (statSync(join(base, prefix, name)).isFile()) digests.push(`sha256:${name}`);
    }
  }
  return digests.sort();
}

/** Files in the blob store's temp folder (a crash may leave partial uploads there). */
export function blobTempFiles(root: string): string[] {
  return safeList(join(root, 'tmp'));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
