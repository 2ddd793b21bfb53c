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
import type { ProvidersUsingPlugin } from '../../src/repositories/local/local-plugin-writer.js';
import type { PluginImageVersions } from '../../src/repositories/local/plugin-image-versions.js';
import { adminRoutes } from '../../src/routes/admin-routes.js';
import { artifactRoutes } from '../../src/routes/artifact-routes.js';
import { createPublishRoutes } from '../../src/routes/publish-routes.js';
import { fakeImageVersions } from './fake-image-versions.js';

export { fakeImageVersions } from './fake-image-versions.js';

/**
 * The registry app of the server's `inject()` tests, built the way `startServer` builds it
 * (without listening) over a real store (SQLite in a temp folder, or the database given) and a
 * real blob store, with image versions from a table (no OCI registry needed) and helpers to make
 * tenants and versions.
 */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly config: ServerConfig;
  /** The temp folder holding the data (`blobs/`, the SQLite file). */
  readonly dataDir: string;
  /** An admin token of the default domain. */
  readonly adminToken: string;
  /** `{authorization: 'Bearer …'}` for the admin token, or for another secret. */
  auth(secret?: string): { authorization: string };
  /** Creates a domain (if missing) and one token per role; returns the secrets. */
  tenant(domainId: string): Promise<TenantTokens>;
  /** Publishes a version of a LOCAL plugin with a small real artifact; returns its digest. */
  publish(domainId: string, name: string, version: string, extra?: object): Promise<string>;
  /** Digests of every blob on disk (to prove a refusal stored nothing). */
  blobDigests(): string[];
  close(): Promise<void>;
}

/** One token per role of a domain. */
export type TenantTokens = Readonly<Record<TokenRole, string>> & { readonly domainId: string };

/** Options of `createTestServer`. */
export interface TestServerOptions {
  readonly managed?: readonly string[];
  /** Extra environment for `loadServerConfig`. */
  readonly env?: Readonly<Record<string, string>>;
  /** A database URL; SQLite in the temp folder by default. */
  readonly database?: string;
  /** Defaults to true. */
  readonly anonymousRead?: boolean;
  /** `max_publish_bytes` of the config file. */
  readonly maxPublishBytes?: number;
  /** Versions of image plugins; a fake with no images by default. */
  readonly imageVersions?: PluginImageVersions;
  /** The `DELETE /plugins/{name}` usage check, built over the server's metadata store. */
  readonly providersUsingPlugin?: (store: MetadataStore) => ProvidersUsingPlugin;
  /**
   * With trusted keys the app holds only the publish, artifact and admin routes, built with them
   * (the server config has no trusted-keys setting yet); otherwise it is the whole app.
   */
  readonly trustedKeys?: TrustedKeys;
}

/** Builds the app the way `startServer` does, without listening. */
export async function createTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = makeTempDir('plugboard-server-');
  const configFile = join(dir.path, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      options.maxPublishBytes === undefined ? {} : { max_publish_bytes: options.maxPublishBytes },
    ),
  );
  const config = await loadServerConfig(
    { data: dir.path, config: configFile, managed: options.managed, database: options.database },
    {
      PLUGBOARD_LOG_LEVEL: 'silent',
      PLUGBOARD_ANONYMOUS_READ: String(options.anonymousRead ?? true),
      ...options.env,
    },
    dir.path,
  );
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  const { generatedAdminToken } = await bootstrapRegistry(store, config.adminToken);
  const adminToken = generatedAdminToken ?? config.adminToken ?? '';
  const sources = await buildSources({
    config,
    store,
    blobs,
    imageVersions: options.imageVersions ?? fakeImageVersions({}),
    providersUsingPlugin: options.providersUsingPlugin?.(store),
    watchManaged: true,
  });
  const context: ServerContext = {
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
    adminToken,
    auth: (secret = adminToken) => ({ authorization: `Bearer ${secret}` }),
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
    async publish(domainId, name, version, extra = {}) {
      const content = Buffer.from(`artifact of ${name}@${version}`);
      const blob = await blobs.put(
        (async function* () {
          yield content;
        })(),
      );
      const manifest = { name, version, description: `${name} plugin`, ...extra };
      await store.publishVersion(domainId, {
        plugin: { name, description: `${name} plugin`, manifest },
        version,
        manifest,
        artifact: {
          digest: blob.digest,
          size: blob.size,
          mediaType: 'application/vnd.plugboard.plugin.v1+tar+gzip',
        },
      });
      return blob.digest;
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

/** The JSON body of an injected response. */
export function json<T = Record<string, unknown>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
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
