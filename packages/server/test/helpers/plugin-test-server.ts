import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import type { FastifyInstance } from 'fastify';
import {
  FsBlobStore,
  openMetadataStore,
  type BlobStore,
  type MetadataStore,
  type PluginImage,
  type TokenRole,
} from '@plugboard/store';
import {
  buildApp,
  bootstrapRegistry,
  loadServerConfig,
  type ServerConfig,
} from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { buildSources } from '../../src/catalog/build-sources.js';
import { Catalog } from '../../src/catalog/catalog.js';
import { semverTagVersions } from '../../src/repositories/image/index.js';
import type { ProvidersUsingPlugin } from '../../src/repositories/local/local-plugin-writer.js';
import type { PluginImageVersions } from '../../src/repositories/local/plugin-image-versions.js';

/**
 * A registry app for the repository and plugin-route tests: like `createTestServer`, plus an
 * injected image-version lookup (no OCI registry needed), a fast MANAGED watcher, and helpers to
 * create tenants and publish versions. (The shared helper cannot inject image versions.)
 */
export interface PluginTestServer {
  readonly app: FastifyInstance;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly config: ServerConfig;
  readonly adminToken: string;
  /** `{authorization: 'Bearer <secret>'}`. */
  auth(secret: string): { authorization: string };
  /** Creates a domain and one token per role; returns the secrets. */
  tenant(domainId: string): Promise<TenantTokens>;
  /** Publishes a version of a LOCAL plugin with a small real artifact in the blob store. */
  publish(domainId: string, name: string, version: string, extra?: object): Promise<string>;
  close(): Promise<void>;
}

/** One token per role of a domain. */
export type TenantTokens = Readonly<Record<TokenRole, string>> & { readonly domainId: string };

/** Options of `createPluginTestServer`. */
export interface PluginTestServerOptions {
  readonly managed?: readonly string[];
  /** A database URL; SQLite in the temp folder by default. */
  readonly database?: string;
  readonly anonymousRead?: boolean;
  readonly imageVersions?: PluginImageVersions;
  /** The `DELETE /plugins/{name}` usage check, built over the server's metadata store. */
  readonly providersUsingPlugin?: (store: MetadataStore) => ProvidersUsingPlugin;
}

/** Builds the app the way `startServer` does, without listening. */
export async function createPluginTestServer(
  options: PluginTestServerOptions = {},
): Promise<PluginTestServer> {
  const dir = makeTempDir('plugboard-plugins-');
  const config = await loadServerConfig(
    { data: dir.path, managed: options.managed, database: options.database },
    {
      PLUGBOARD_LOG_LEVEL: 'silent',
      PLUGBOARD_ANONYMOUS_READ: String(options.anonymousRead ?? true),
    },
    dir.path,
  );
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  const { generatedAdminToken } = await bootstrapRegistry(store, config.adminToken);
  const sources = await buildSources({
    config,
    store,
    blobs,
    imageVersions: options.imageVersions ?? fakeImageVersions({}),
    providersUsingPlugin: options.providersUsingPlugin?.(store),
    watchManaged: true,
  });
  const app = await buildApp({
    config,
    store,
    blobs,
    catalog: new Catalog(sources.forScope),
    authenticate: createAuthenticator({ store, adminPassword: config.adminPassword }),
    refresh: sources.refresh,
  });
  return {
    app,
    store,
    blobs,
    config,
    adminToken: generatedAdminToken ?? '',
    auth: (secret) => ({ authorization: `Bearer ${secret}` }),
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
    async close() {
      await app.close();
      await sources.close();
      await store.close();
      dir.remove();
    },
  };
}

/**
 * Image versions from a table (image name → tags) instead of an OCI registry. An image named
 * `unreachable/…` fails as a registry that is down would. Records every image asked about.
 */
export function fakeImageVersions(
  tags: Readonly<Record<string, readonly string[]>>,
): PluginImageVersions & { readonly asked: string[] } {
  const asked: string[] = [];
  const read = async (image: PluginImage): Promise<readonly string[]> => {
    asked.push(image.image);
    if (image.image.startsWith('unreachable/')) {
      throw new PlugboardError('UNAVAILABLE', `registry of ${image.image} is not reachable`);
    }
    // SemVer tags only, `v` dropped, highest first: what the real reader answers.
    return semverTagVersions(tags[image.image] ?? []).map((entry) => entry.version);
  };
  return {
    asked,
    versions: read,
    async requireVersions(image) {
      const versions = await read(image);
      if (versions.length === 0) {
        throw new PlugboardError('VERSION_NOT_FOUND', `image "${image.image}" has no SemVer tag`);
      }
      return versions;
    },
  };
}

/** The JSON body of an injected response. */
export function json<T = Record<string, unknown>>(response: { body: string }): T {
  return JSON.parse(response.body) as T;
}
