import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { gzipTarArchive, type TarEntrySpec } from '@plugboard/installer';
import { FsBlobStore, openMetadataStore, type MetadataStore } from '@plugboard/store';
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
import type { CollectionWorkerOptions } from '../../src/providers/collection-worker.js';
import {
  openProviderServices,
  type ProviderServices,
} from '../../src/providers/provider-services.js';

/** The admin password every provider test server accepts (HTTP Basic `admin:` it). */
export const ADMIN_PASSWORD = 'provider-test-password';

/** `Authorization` header of HTTP Basic `admin:$PASS`, as seed 004's curl sends it. */
export const BASIC_ADMIN = {
  authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
};

/** Worker timings short enough for tests on a busy machine (ms). */
export const TEST_WORKER: CollectionWorkerOptions = {
  pollIntervalMs: 100,
  heartbeatMs: 200,
  staleAfterMs: 60_000,
};

/** A provider-enabled registry app over a real database in a temp folder, for `inject()`. */
export interface ProviderTestServer {
  readonly app: FastifyInstance;
  readonly store: MetadataStore;
  readonly providers: ProviderServices;
  readonly config: ServerConfig;
  readonly dataDir: string;
  /** Every log line written so far (app requests, plugins' stderr, runs), as text. */
  logs(): string;
  /** `app.inject` with the Basic admin header added. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Closes the app and the provider parts; the data folder stays until `remove`. */
  close(): Promise<void>;
  /** Removes the data folder. */
  remove(): void;
}

/** Options of `createProviderTestServer`. */
export interface ProviderTestServerOptions {
  /** A database URL; SQLite in the data folder by default. */
  readonly database?: string | undefined;
  /** Reuse a data folder (a restart); a new temp folder by default. */
  readonly dataDir?: string | undefined;
  readonly worker?: CollectionWorkerOptions | undefined;
  /** 0 runs no worker. Default 2. */
  readonly concurrency?: number | undefined;
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** Builds the whole app the way `startServer` does, with every log line captured. */
export async function createProviderTestServer(
  options: ProviderTestServerOptions = {},
): Promise<ProviderTestServer> {
  const dir = options.dataDir === undefined ? makeTempDir('plugboard-providers-') : undefined;
  const dataDir = options.dataDir ?? dir?.path ?? '';
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const config = await loadServerConfig(
    { data: dataDir, database: options.database },
    { PLUGBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD, PLUGBOARD_LOG_LEVEL: 'trace', ...options.env },
    dataDir,
  );
  const store = await openMetadataStore(config.database);
  const blobs = await FsBlobStore.open(join(config.dataDir, 'blobs'));
  await bootstrapRegistry(store, config.adminToken);
  const sources = await buildSources({ config, store, blobs });
  const providers = await openProviderServices({
    database: config.database,
    dataDir: config.dataDir,
    secretKey: config.secretKey,
    concurrency: options.concurrency ?? 2,
    logger: pino({ level: 'trace' }, capture),
    worker: { ...TEST_WORKER, ...options.worker },
  });
  const app = await buildApp(
    {
      config,
      store,
      blobs,
      catalog: new Catalog(sources.forScope),
      authenticate: createAuthenticator({ store, adminPassword: config.adminPassword }),
      refresh: sources.refresh,
      providers: providers.service,
    },
    { logger: pino({ level: 'trace' }, capture) },
  );
  return {
    app,
    store,
    providers,
    config,
    dataDir,
    logs: () => lines.join(''),
    request: (request) =>
      app.inject({ ...request, headers: { ...BASIC_ADMIN, ...request.headers } }),
    async close() {
      await app.close();
      await providers.close();
      await sources.close();
      await store.close();
    },
    remove: () => dir?.remove(),
  };
}

/** A multipart/form-data body with one file field, as `curl -F field=@file;type=…` sends it. */
export function multipartFile(
  field: string,
  filename: string,
  content: Buffer,
  type = 'application/gzip',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----plugboard${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      `Content-Type: ${type}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** File URL of a module of the SDK package (its dist), for plugins unpacked outside the repo. */
function sdkUrl(path: string): string {
  return new URL(`../../../../sdk/dist/${path}`, import.meta.url).href;
}

/** Connection parameters of the test plugins (seed 004's manifest field). */
export const EXAMPLE_CONNECTION_PARAMETERS = [
  { name: 'password', type: 'string', required: true, secret: true },
  { name: 'count', type: 'integer', default: 3 },
  { name: 'hosts', type: 'integer', default: 1 },
  { name: 'interval_ms', type: 'integer', default: 0 },
  { name: 'verify_ssl', type: 'boolean' },
];

/** The password the SDK's example provider accepts by default. */
export const EXAMPLE_PASSWORD = 'example-password';

/**
 * The SDK's example provider (`example:static`) as an uploadable package at `version`: a
 * manifest with connection parameters and a `main.js` that serves the example definition.
 */
export function exampleProviderPackage(version = '0.1.0', root = ''): Buffer {
  const prefix = root === '' ? '' : `${root}/`;
  const manifest = {
    name: 'example-provider',
    version,
    description: 'The SDK provider example',
    capabilities: [
      {
        type: 'provider',
        endpoints: ['connect', 'collect', 'disconnect', 'validate_connection'],
        vendor: 'example',
        provider_type: 'static',
        resource_types: ['hypervisor_host', 'virtual_machine'],
      },
    ],
    connection_parameters: EXAMPLE_CONNECTION_PARAMETERS,
    runtime: { type: 'node', entrypoint: 'main.js' },
  };
  const main = [
    `import { servePlugin } from ${JSON.stringify(sdkUrl('src/index.js'))};`,
    `import provider from ${JSON.stringify(sdkUrl('examples/provider-definition.js'))};`,
    'await servePlugin(provider);',
    '',
  ].join('\n');
  const entries: TarEntrySpec[] = [
    ...(root === '' ? [] : [{ path: `${root}/`, type: '5' }]),
    { path: `${prefix}manifest.json`, content: JSON.stringify(manifest, null, 2) },
    { path: `${prefix}main.js`, content: main, mode: 0o755 },
  ];
  return gzipTarArchive(entries);
}

/**
 * A provider `failing:mid` whose collect yields `connection.config.count` resources, then — as
 * `connection.config.fail` says — throws a plugin error (`throw`), exits the process (`exit`),
 * throws an error quoting the secret `token` (`leak`), or finishes (`none`, the default).
 */
export function failingProviderPackage(): Buffer {
  const manifest = {
    name: 'failing-provider',
    version: '1.0.0',
    capabilities: [
      {
        type: 'provider',
        endpoints: ['connect', 'collect', 'disconnect', 'validate_connection'],
        vendor: 'failing',
        provider_type: 'mid',
        resource_types: ['virtual_machine'],
      },
    ],
    connection_parameters: [
      { name: 'count', type: 'integer', default: 3 },
      { name: 'fail', type: 'string', default: 'none' },
      { name: 'token', type: 'string', secret: true },
    ],
    runtime: { type: 'node', entrypoint: 'main.js' },
  };
  const main = `
import { definePlugin, servePlugin, PluginError } from ${JSON.stringify(sdkUrl('src/index.js'))};
import { defineProvider } from ${JSON.stringify(sdkUrl('src/provider/define-provider.js'))};
await servePlugin(definePlugin({
  name: 'failing-provider',
  version: '1.0.0',
  capabilities: [defineProvider({
    vendor: 'failing',
    providerType: 'mid',
    supportedResourceTypes: ['virtual_machine'],
    connect: (connection) => ({ count: connection.config.count ?? 3, fail: connection.config.fail ?? 'none', token: connection.config.token }),
    async *collect(client) {
      for (let i = 0; i < client.count; i++) {
        yield { ems_ref: 'vm-' + i, resource_type: 'virtual_machine', name: 'vm ' + i, state: 'running' };
      }
      if (client.fail === 'throw') throw new PluginError('UNAVAILABLE', 'the managed system went away mid-collect');
      if (client.fail === 'exit') { process.stderr.write('simulated crash\\n'); process.exit(3); }
      if (client.fail === 'leak') throw new PluginError('UNAUTHENTICATED', 'login refused for token ' + client.token);
    },
    disconnect: () => undefined,
    validateConnection: () => ({ ok: true }),
  })],
}));
`;
  return gzipTarArchive([
    { path: 'manifest.json', content: JSON.stringify(manifest, null, 2) },
    { path: 'main.js', content: main, mode: 0o755 },
  ]);
}

/** Polls `GET /api/v1/runs/{id}` until the run is in a final state; returns its JSON. */
export async function waitForRun(
  server: ProviderTestServer,
  runId: string,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await server.request({ method: 'GET', url: `/api/v1/runs/${runId}` });
    const run = response.json<Record<string, unknown>>();
    if (['completed', 'partial', 'failed', 'canceled'].includes(String(run['state']))) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${String(run['state'])}`);
    await sleep(100);
  }
}

/** Polls until `predicate` holds for the run (e.g. it is running with some resources). */
export async function waitForRunWhere(
  server: ProviderTestServer,
  runId: string,
  predicate: (run: Record<string, unknown>) => boolean,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await server.request({ method: 'GET', url: `/api/v1/runs/${runId}` });
    const run = response.json<Record<string, unknown>>();
    if (predicate(run)) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId}: condition not met (${response.body})`);
    await sleep(50);
  }
}
