import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import {
  FsBlobStore,
  openMetadataStore,
  type BlobStore,
  type MetadataStore,
  type PluginInput,
  type TokenRole,
} from '@plugboard/store';
import {
  buildApp,
  bootstrapRegistry,
  loadServerConfig,
  DEFAULT_DOMAIN_ID,
  type RemoteConfig,
  type ServerConfig,
} from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';
import { createAuthenticator } from '../../src/auth/authenticate.js';
import { buildSources, type ServerSources } from '../../src/catalog/build-sources.js';
import { Catalog } from '../../src/catalog/catalog.js';
import type { CatalogScope, PluginSource } from '../../src/catalog/plugin-source.js';
import type { CircuitBreakerSettings } from '../../src/repositories/remote/circuit-breaker.js';
import { RemoteSources } from '../../src/repositories/remote/remote-sources.js';
import { fakeImageVersions } from './fake-image-versions.js';

/** The admin token both test registries are started with. */
export const ADMIN_TOKEN = 'pb_admin_token_for_remote_tests_000000';

/**
 * The upstream registry of the REMOTE tests: a real server (the full app over SQLite) on
 * 127.0.0.1, which can be stopped and restarted on the same port (the remote dying and coming
 * back) and slowed down, and which records every request that reaches it.
 */
export interface UpstreamRegistry {
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly url: string;
  readonly store: MetadataStore;
  readonly blobs: FsBlobStore;
  /** A reader token of the default domain: what the downstream server calls it with. */
  readonly readerToken: string;
  /** `METHOD /url` of every request that reached it. */
  readonly requests: string[];
  /** The `Plugboard-Via` header of every request that had one, in arrival order. */
  readonly viaHeaders: string[];
  /** Milliseconds every request waits before it is handled (0: none). */
  delayMs: number;
  /** Publishes a LOCAL version with `content` as its artifact; returns the digest. */
  publish(
    name: string,
    version: string,
    content?: Buffer,
    plugin?: Partial<PluginInput>,
  ): Promise<string>;
  /** Closes the listening socket: connections are refused from now on. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** Options of `startUpstreamRegistry`. */
export interface UpstreamOptions {
  /** The metadata store's URL; SQLite in its data folder by default. */
  readonly database?: string | undefined;
  /** The server's `secret_key`; generated into its data folder by default. */
  readonly secretKey?: string | undefined;
}

/** Starts the upstream registry. */
export async function startUpstreamRegistry(
  options: UpstreamOptions = {},
): Promise<UpstreamRegistry> {
  const dir = makeTempDir('plugboard-upstream-');
  const loaded = await loadServerConfig(
    { data: dir.path },
    { PLUGBOARD_LOG_LEVEL: 'silent', PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN },
    dir.path,
  );
  const config: ServerConfig = {
    ...loaded,
    database: options.database ?? loaded.database,
    secretKey: options.secretKey ?? loaded.secretKey,
  };
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  await bootstrapRegistry(store, config.adminToken);
  const readerToken = (
    await store.createToken({
      domainId: DEFAULT_DOMAIN_ID,
      name: 'downstream peer',
      role: 'reader',
    })
  ).secret;
  const sources = await buildSources({
    config,
    store,
    blobs,
    imageVersions: fakeImageVersions({}),
    watchManaged: false,
  });
  const requests: string[] = [];
  const viaHeaders: string[] = [];
  let app: FastifyInstance | undefined;
  let port = 0;
  const upstream: UpstreamRegistry = {
    url: '',
    store,
    blobs,
    readerToken,
    requests,
    viaHeaders,
    delayMs: 0,
    async publish(name, version, content = Buffer.from(`artifact of ${name}@${version}`), plugin) {
      return publishVersion(store, blobs, DEFAULT_DOMAIN_ID, name, version, content, plugin);
    },
    async stop() {
      await app?.close();
      app = undefined;
    },
    async restart() {
      app = await buildApp({
        config,
        store,
        blobs,
        catalog: new Catalog(sources.forScope),
        authenticate: createAuthenticator({ store, adminPassword: undefined }),
        refresh: sources.refresh,
      });
      app.addHook('onRequest', async (request) => {
        requests.push(`${request.method} ${request.url}`);
        const via = request.headers['plugboard-via'];
        if (typeof via === 'string') viaHeaders.push(via);
        if (upstream.delayMs > 0) await sleep(upstream.delayMs);
      });
      await app.listen({ host: '127.0.0.1', port });
      port = portOf(app);
    },
    async close() {
      await upstream.stop();
      await sources.close();
      await store.close();
      dir.remove();
    },
  };
  await upstream.restart();
  (upstream as { url: string }).url = `http://127.0.0.1:${port}/api/v1`;
  return upstream;
}

/**
 * The downstream registry: the full app with its LOCAL and MANAGED sources and this suite's
 * `RemoteSources` (breaker tuning and a counting `fetch` injected), listening on 127.0.0.1. It
 * records every response body and log line, so tests can search them for tokens.
 */
export interface DownstreamRegistry {
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly url: string;
  readonly config: ServerConfig;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly remotes: RemoteSources;
  readonly catalog: Catalog;
  /** Every URL its REMOTE sources fetched (attempts, whether or not the remote answered). */
  readonly remoteCalls: string[];
  /** Every string response body it sent. */
  readonly responseBodies: string[];
  /** Every log line (server and REMOTE sources, at trace level). */
  readonly logLines: string[];
  /** A token of the default domain with this role. */
  token(role: TokenRole, domainId?: string): Promise<string>;
  publish(name: string, version: string, content?: Buffer): Promise<string>;
  close(): Promise<void>;
}

/** Options of `startDownstreamRegistry`. */
export interface DownstreamOptions {
  readonly remotes?: readonly RemoteConfig[];
  readonly breaker?: Partial<CircuitBreakerSettings>;
}

/** Starts the downstream registry. */
export async function startDownstreamRegistry(
  options: DownstreamOptions = {},
): Promise<DownstreamRegistry> {
  const dir = makeTempDir('plugboard-downstream-');
  const loaded = await loadServerConfig(
    { data: dir.path },
    { PLUGBOARD_LOG_LEVEL: 'trace', PLUGBOARD_ADMIN_TOKEN: ADMIN_TOKEN },
    dir.path,
  );
  const config: ServerConfig = { ...loaded, remotes: options.remotes ?? [] };
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  await bootstrapRegistry(store, config.adminToken);
  const logLines: string[] = [];
  const logStream = { write: (line: string) => void logLines.push(line) };
  const remoteCalls: string[] = [];
  const remotes = new RemoteSources({
    config,
    store,
    blobs,
    breaker: options.breaker,
    logger: pino({ level: 'trace' }, logStream),
    fetch: (url, init) => {
      remoteCalls.push(url);
      return fetch(url, init);
    },
  });
  const sources: ServerSources = await buildSources({
    config,
    store,
    blobs,
    imageVersions: fakeImageVersions({}),
    watchManaged: false,
  });
  // This suite's RemoteSources replace any the shared composition builds, so the tests control
  // the breaker tuning and see every remote call.
  const forScope = async (scope: CatalogScope): Promise<PluginSource[]> => [
    ...(await sources.forScope(scope)).filter((source) => source.ref.type !== 'REMOTE'),
    ...(await remotes.forDomain(scope.domainId, scope.via)),
  ];
  const catalog = new Catalog(forScope);
  const app = await buildApp(
    {
      config,
      store,
      blobs,
      catalog,
      authenticate: createAuthenticator({ store, adminPassword: undefined }),
      refresh: sources.refresh,
    },
    { logger: pino({ level: 'trace' }, logStream) },
  );
  const responseBodies: string[] = [];
  app.addHook('onSend', async (_request, _reply, payload) => {
    // JSON bodies are strings, or Buffers when a route sends JSON it serialized before.
    if (typeof payload === 'string') responseBodies.push(payload);
    else if (Buffer.isBuffer(payload)) responseBodies.push(payload.toString('utf8'));
    return payload;
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url: `http://127.0.0.1:${portOf(app)}/api/v1`,
    config,
    store,
    blobs,
    remotes,
    catalog,
    remoteCalls,
    responseBodies,
    logLines,
    async token(role, domainId = DEFAULT_DOMAIN_ID) {
      if ((await store.getDomain(domainId)) === undefined) {
        await store.createDomain({ id: domainId, name: domainId });
      }
      return (await store.createToken({ domainId, name: `${role} token`, role })).secret;
    },
    publish: (name, version, content = Buffer.from(`local artifact of ${name}@${version}`)) =>
      publishVersion(store, blobs, DEFAULT_DOMAIN_ID, name, version, content),
    async close() {
      await app.close();
      await remotes.close();
      await sources.close();
      await store.close();
      dir.remove();
    },
  };
}

async function publishVersion(
  store: MetadataStore,
  blobs: BlobStore,
  domainId: string,
  name: string,
  version: string,
  content: Buffer,
  plugin: Partial<PluginInput> = {},
): Promise<string> {
  const blob = await blobs.put(
    (async function* () {
      yield content;
    })(),
  );
  const manifest = { name, version, description: `${name} plugin` };
  await store.publishVersion(domainId, {
    plugin: { name, description: `${name} plugin`, manifest, ...plugin },
    version,
    manifest,
    artifact: {
      digest: blob.digest,
      size: blob.size,
      mediaType: 'application/vnd.plugboard.plugin.v1+tar+gzip',
    },
  });
  return blob.digest;
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}
