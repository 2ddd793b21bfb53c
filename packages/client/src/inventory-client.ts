import { openTransport, type RegistryClientOptions } from './client-transport.js';
import type {
  ProviderInput,
  ProviderList,
  ProviderListQuery,
  ProviderPluginDetail,
  ProviderPluginList,
  ProviderPluginRefresh,
  ProviderPluginRemoval,
  ProviderPluginTest,
  ProviderPluginUpload,
  ProviderUpdate,
  ProviderView,
  ProviderWriteResult,
  ResourceDetail,
  ResourceList,
  ResourceListQuery,
  RunList,
  RunListQuery,
  RunView,
} from './provider-types.js';
import { expectPage, expectRecord, expectStringField } from './response-shapes.js';
import { unexpectedBodyError, type CallSite } from './transport/registry-errors.js';
import type {
  CallOptions,
  RegistryTransport,
  TransportRequest,
} from './transport/registry-transport.js';

/** Media type of a provider plugin package sent to `POST /provider-plugins/upload` by default. */
export const DEFAULT_PROVIDER_PLUGIN_CONTENT_TYPE = 'application/gzip';

/** Options of `uploadProviderPlugin`. */
export interface ProviderPluginUploadOptions extends CallOptions {
  /** `application/gzip` (tar.gz, the default), `application/zip` or `application/octet-stream`. */
  readonly contentType?: string | undefined;
  /** Replace an installed plugin of the same `vendor:provider_type` instead of `ALREADY_EXISTS`. */
  readonly force?: boolean | undefined;
}

/** Options of `deleteProviderPlugin`. */
export interface ProviderPluginDeleteOptions extends CallOptions {
  /** Remove it even while providers use it (they are reported as orphaned). */
  readonly force?: boolean | undefined;
}

/** Options of `collect`. */
export interface CollectOptions extends CallOptions {
  /** Collect only these resource types. */
  readonly resourceTypes?: readonly string[] | undefined;
}

/** Options of `getResource`. */
export interface ResourceDetailOptions extends CallOptions {
  /** How many drift entries to return (the server's default when absent). */
  readonly driftLimit?: number | undefined;
}

/**
 * A typed client for the provider side of a Plugboard server (seed 004) over the same transport
 * as `RegistryClient`: provider plugins, providers, collection runs and resources. Every failure
 * is a `PlugboardError` with the server's code (`CONFLICT` for a second run or for deleting a
 * provider with an active run, `ALREADY_EXISTS`, `NOT_FOUND`, `PLUGIN_NOT_FOUND`, `FORBIDDEN`…),
 * `UNAVAILABLE`, `TIMEOUT` or `ABORTED`. Browser-safe: `fetch` only, no Node APIs.
 *
 * @example
 * const inventory = new InventoryClient({ url: 'http://127.0.0.1:7400/api/v1', token });
 * const provider = await inventory.createProvider({
 *   name: 'db',
 *   vendor: 'postgresql',
 *   provider_type: 'server',
 * });
 * const run = await inventory.collect(provider.id);
 */
export class InventoryClient {
  /** The registry URL without credentials or trailing slash (safe to log). */
  readonly url: string;
  readonly #transport: RegistryTransport;

  constructor(options: RegistryClientOptions) {
    this.#transport = openTransport(options);
    this.url = this.#transport.registry;
  }

  // --- provider plugins ---

  /** `GET /provider-plugins`: installed provider plugins with their instance counts. */
  async listProviderPlugins(options: CallOptions = {}): Promise<ProviderPluginList> {
    return (await this.#page(
      'GET',
      '/provider-plugins',
      'plugins',
      options,
    )) as unknown as ProviderPluginList;
  }

  /** `GET /provider-plugins/{key}`: connection parameters, resource types, dependencies. */
  async getProviderPlugin(key: string, options: CallOptions = {}): Promise<ProviderPluginDetail> {
    return (await this.#record(
      'GET',
      pluginKeyPath(key),
      options,
      'key',
    )) as unknown as ProviderPluginDetail;
  }

  /**
   * `POST /provider-plugins/upload` (server admin) with the package (tar.gz or zip) as the raw
   * body: installed and hot-loaded; `ALREADY_EXISTS` naming the installed plugin unless `force`.
   */
  async uploadProviderPlugin(
    body: Uint8Array | Blob | ReadableStream<Uint8Array>,
    options: ProviderPluginUploadOptions = {},
  ): Promise<ProviderPluginUpload> {
    const { contentType, force, ...call } = options;
    return (await this.#record(
      'POST',
      '/provider-plugins/upload',
      {
        ...call,
        query: { force: force === true ? true : undefined },
        // Any Uint8Array is a valid body at run time; TS 5.9 only types ArrayBuffer-backed ones so.
        raw: {
          body: body as BodyInit,
          contentType: contentType ?? DEFAULT_PROVIDER_PLUGIN_CONTENT_TYPE,
        },
      },
      'key',
    )) as unknown as ProviderPluginUpload;
  }

  /** `DELETE /provider-plugins/{key}` (server admin): `CONFLICT` while used, unless `force`. */
  async deleteProviderPlugin(
    key: string,
    options: ProviderPluginDeleteOptions = {},
  ): Promise<ProviderPluginRemoval> {
    const { force, ...call } = options;
    return (await this.#record('DELETE', pluginKeyPath(key), {
      ...call,
      query: { force: force === true ? true : undefined },
    })) as unknown as ProviderPluginRemoval;
  }

  /** `POST /provider-plugins/{key}/test`: `validate_connection` of each enabled provider. */
  async testProviderPlugin(key: string, options: CallOptions = {}): Promise<ProviderPluginTest> {
    return (await this.#withList(
      'POST',
      `${pluginKeyPath(key)}/test`,
      'results',
      options,
    )) as unknown as ProviderPluginTest;
  }

  /** `POST /provider-plugins/refresh` (server admin): re-scans the installed plugins. */
  async refreshProviderPlugins(options: CallOptions = {}): Promise<ProviderPluginRefresh> {
    return (await this.#withList(
      'POST',
      '/provider-plugins/refresh',
      'plugins',
      options,
    )) as unknown as ProviderPluginRefresh;
  }

  // --- providers ---

  /** `GET /providers`: one page of the caller's tenant's providers. */
  async listProviders(
    query: ProviderListQuery = {},
    options: CallOptions = {},
  ): Promise<ProviderList> {
    return (await this.#page('GET', '/providers', 'providers', {
      ...options,
      query: { ...query },
    })) as unknown as ProviderList;
  }

  /**
   * `POST /providers` (publisher role): checked against the plugin's connection parameters
   * (`INVALID_ARGUMENT` with a problem per field); `ALREADY_EXISTS` for a taken name.
   */
  async createProvider(
    input: ProviderInput,
    options: CallOptions = {},
  ): Promise<ProviderWriteResult> {
    return this.#providerWrite('POST', '/providers', input, options);
  }

  /** `GET /providers/{id}` (secret parameters masked); `NOT_FOUND` when absent. */
  async getProvider(id: string, options: CallOptions = {}): Promise<ProviderView> {
    return (await this.#record('GET', providerPath(id), options, 'id')) as unknown as ProviderView;
  }

  /** `PATCH /providers/{id}` (publisher role): absent fields are kept. */
  async updateProvider(
    id: string,
    change: ProviderUpdate,
    options: CallOptions = {},
  ): Promise<ProviderWriteResult> {
    return this.#providerWrite('PATCH', providerPath(id), change, options);
  }

  /**
   * `DELETE /providers/{id}` (publisher role) with its runs and resources; `CONFLICT` while it
   * has a pending or running run (cancel it first).
   */
  async deleteProvider(id: string, options: CallOptions = {}): Promise<void> {
    await this.#transport.json('DELETE', providerPath(id), options);
  }

  // --- collection runs ---

  /**
   * `POST /providers/{id}/collect` (publisher role): queues a run (202) and answers it;
   * `CONFLICT` when the provider is disabled or already has a pending or running run.
   */
  async collect(providerId: string, options: CollectOptions = {}): Promise<RunView> {
    const { resourceTypes, ...call } = options;
    return (await this.#record(
      'POST',
      `${providerPath(providerId)}/collect`,
      {
        ...call,
        json: resourceTypes === undefined ? {} : { resource_types: resourceTypes },
      },
      'id',
    )) as unknown as RunView;
  }

  /** `GET /runs`: newest first. */
  async listRuns(query: RunListQuery = {}, options: CallOptions = {}): Promise<RunList> {
    return (await this.#page('GET', '/runs', 'runs', {
      ...options,
      query: { ...query },
    })) as unknown as RunList;
  }

  /** `GET /runs/{id}`: state, counts, error, plugin version, timings. */
  async getRun(id: string, options: CallOptions = {}): Promise<RunView> {
    return (await this.#record('GET', runPath(id), options, 'id')) as unknown as RunView;
  }

  /**
   * `POST /runs/{id}/cancel` (publisher role): a pending run is canceled at once, a running one
   * at its next heartbeat (`cancel_requested` is true until then); `CONFLICT` once it has ended.
   */
  async cancelRun(id: string, options: CallOptions = {}): Promise<RunView> {
    return (await this.#record(
      'POST',
      `${runPath(id)}/cancel`,
      options,
      'id',
    )) as unknown as RunView;
  }

  // --- resources ---

  /** `GET /resources`: by type, then name, with filters and paging. */
  async listResources(
    query: ResourceListQuery = {},
    options: CallOptions = {},
  ): Promise<ResourceList> {
    return (await this.#page('GET', '/resources', 'resources', {
      ...options,
      query: { ...query },
    })) as unknown as ResourceList;
  }

  /** `GET /resources/{id}`: with relationships resolved and its drift history. */
  async getResource(id: string, options: ResourceDetailOptions = {}): Promise<ResourceDetail> {
    const { driftLimit, ...call } = options;
    const path = `/resources/${encodeURIComponent(id)}`;
    const detail = await this.#record(
      'GET',
      path,
      { ...call, query: { drift_limit: driftLimit } },
      'id',
    );
    if (!Array.isArray(detail['drift'])) detail['drift'] = [];
    return detail as unknown as ResourceDetail;
  }

  async #providerWrite(
    method: 'POST' | 'PATCH',
    path: string,
    body: ProviderInput | ProviderUpdate,
    options: CallOptions,
  ): Promise<ProviderWriteResult> {
    const written = await this.#record(method, path, { ...options, json: body }, 'id');
    return { warnings: [], ...written } as unknown as ProviderWriteResult;
  }

  /** A call answering one JSON object (with `required` a string field when given). */
  async #record(
    method: string,
    path: string,
    request: TransportRequest,
    required?: string,
  ): Promise<Record<string, unknown>> {
    const body = await this.#transport.json(method, path, request);
    const site = this.#site(method, path);
    return required === undefined
      ? expectRecord(body, site)
      : expectStringField(body, required, site);
  }

  /** A call answering an object with a list under `key` (not a page: no counters added). */
  async #withList(
    method: string,
    path: string,
    key: string,
    request: TransportRequest,
  ): Promise<Record<string, unknown>> {
    const body = await this.#record(method, path, request);
    if (!Array.isArray(body[key])) {
      throw unexpectedBodyError(this.#site(method, path), `"${key}" is not a list`);
    }
    return body;
  }

  /** A call answering a page of a list under `key`. */
  async #page(
    method: string,
    path: string,
    key: string,
    request: TransportRequest,
  ): Promise<Record<string, unknown>> {
    const body = await this.#transport.json(method, path, request);
    return expectPage(body, key, this.#site(method, path));
  }

  #site(method: string, path: string): CallSite {
    return { registry: this.url, method, path };
  }
}

function pluginKeyPath(key: string): string {
  return `/provider-plugins/${encodeURIComponent(key)}`;
}

function providerPath(id: string): string {
  return `/providers/${encodeURIComponent(id)}`;
}

function runPath(id: string): string {
  return `/runs/${encodeURIComponent(id)}`;
}
