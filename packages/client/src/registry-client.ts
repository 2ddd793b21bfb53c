import { artifactDownload, type ArtifactDownload } from './artifact-download.js';
import { expectPage, expectRecord } from './response-shapes.js';
import { unexpectedBodyError, type CallSite } from './transport/registry-errors.js';
import { openTransport, type RegistryClientOptions } from './client-transport.js';
import type {
  CallOptions,
  QueryParameters,
  RegistryTransport,
} from './transport/registry-transport.js';
import type {
  AddRepositoryInput,
  HealthStatus,
  PluginDetail,
  PluginList,
  PluginListQuery,
  PublishedVersion,
  RepositoryList,
  RepositoryType,
  RepositoryView,
  ResolvedPlugin,
  VersionList,
  VersionSignature,
  VersionView,
} from './registry-types.js';

export {
  DEFAULT_MAX_JSON_RESPONSE_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type RegistryClientOptions,
} from './client-transport.js';

/** Media type of a plugin package sent to `POST /publish` when none is given. */
export const DEFAULT_PUBLISH_CONTENT_TYPE = 'application/gzip';

/** Options of `getPlugin`. */
export interface GetPluginOptions extends CallOptions {
  /** Only look in repositories of this type. */
  readonly repository?: RepositoryType | undefined;
}

/** Header carrying publish signatures with a raw body. */
export const SIGNATURE_HEADER = 'x-plugboard-signature';

/** Options of `publish`. */
export interface PublishOptions extends CallOptions {
  /** Defaults to `application/gzip`. */
  readonly contentType?: string | undefined;
  /** Signatures over the package's digest, sent in the `X-Plugboard-Signature` header. */
  readonly signatures?: readonly VersionSignature[] | undefined;
}

/** Options of `addRepository`. */
export interface AddRepositoryOptions extends CallOptions {
  /** False skips the server's check that the remote answers `/healthz`. */
  readonly verify?: boolean | undefined;
}

/**
 * A typed client for a Plugboard registry's HTTP API (`/api/v1`), over `fetch`, for the CLI, the
 * web UI and servers that use another server as a REMOTE repository. Every failure is a
 * `PlugboardError`: the server's own code when it sent one, `UNAVAILABLE` when the registry cannot
 * be reached or answers garbage, `TIMEOUT`, or `ABORTED` when the caller's signal fires.
 *
 * @example
 * const registry = new RegistryClient({ url: 'http://127.0.0.1:7400/api/v1', token });
 * const { plugins, total } = await registry.listPlugins({ provider: 'aws', limit: 20 });
 * const detail = await registry.getPlugin('echo');
 */
export class RegistryClient {
  /** The registry URL without credentials or trailing slash (safe to log). */
  readonly url: string;
  readonly #transport: RegistryTransport;

  constructor(options: RegistryClientOptions) {
    this.#transport = openTransport(options);
    this.url = this.#transport.registry;
  }

  /** `GET /healthz`: the server process answers. */
  async health(options: CallOptions = {}): Promise<HealthStatus> {
    const body = await this.#get('/healthz', options);
    return expectRecord(body, this.#site('GET', '/healthz')) as unknown as HealthStatus;
  }

  /** `GET /plugins`: one page of the merged catalog. */
  async listPlugins(query: PluginListQuery = {}, options: CallOptions = {}): Promise<PluginList> {
    const body = await this.#get('/plugins', { ...options, query: listQuery(query) });
    return expectPage(body, 'plugins', this.#site('GET', '/plugins')) as unknown as PluginList;
  }

  /** `GET /search` (seed 003): the same result shape as `listPlugins`. */
  async search(query: PluginListQuery = {}, options: CallOptions = {}): Promise<PluginList> {
    const body = await this.#get('/search', { ...options, query: listQuery(query) });
    return expectPage(body, 'plugins', this.#site('GET', '/search')) as unknown as PluginList;
  }

  /** `GET /plugins/{name}`: versions, dist-tags and manifest; `PLUGIN_NOT_FOUND` when absent. */
  async getPlugin(name: string, options: GetPluginOptions = {}): Promise<PluginDetail> {
    const path = pluginPath(name);
    const body = await this.#get(path, { ...options, query: { repository: options.repository } });
    const detail = expectRecord(body, this.#site('GET', path));
    if (!Array.isArray(detail['versions'])) {
      throw unexpectedBodyError(this.#site('GET', path), '"versions" is not a list');
    }
    return detail as unknown as PluginDetail;
  }

  /** `GET /plugins/{name}/versions`, highest first. */
  async listVersions(name: string, options: CallOptions = {}): Promise<VersionList> {
    const path = `${pluginPath(name)}/versions`;
    const body = await this.#get(path, options);
    return expectPage(body, 'versions', this.#site('GET', path)) as unknown as VersionList;
  }

  /** `GET /plugins/{name}/{version}/manifest`: the native manifest of one version. */
  async getManifest(
    name: string,
    version: string,
    options: CallOptions = {},
  ): Promise<Record<string, unknown>> {
    const path = versionPath(name, version, 'manifest');
    return expectRecord(await this.#get(path, options), this.#site('GET', path));
  }

  /** `GET /plugins/{name}/resolve?spec=…`: the version a spec (`^1.2`, `latest`, `beta`) picks. */
  async resolve(name: string, spec: string, options: CallOptions = {}): Promise<ResolvedPlugin> {
    const path = `${pluginPath(name)}/resolve`;
    const body = await this.#get(path, { ...options, query: { spec } });
    const resolved = expectRecord(body, this.#site('GET', path));
    if (typeof resolved['version'] !== 'string') {
      throw unexpectedBodyError(this.#site('GET', path), '"version" is not a string');
    }
    return { warnings: [], ...resolved } as unknown as ResolvedPlugin;
  }

  /**
   * `GET /plugins/{name}/{version}/artifact`, streamed. The caller must read or cancel the body;
   * the call's timeout applies to the headers and then to each pause between chunks.
   */
  async downloadArtifact(
    name: string,
    version: string,
    options: CallOptions = {},
  ): Promise<ArtifactDownload> {
    const path = versionPath(name, version, 'artifact');
    const { response, control } = await this.#transport.open('GET', path, {
      ...options,
      headers: { ...options.headers, accept: '*/*' },
    });
    return artifactDownload(response, control);
  }

  /**
   * `POST /publish` (publisher role) with a plugin package (gzip tar) as the raw body: a new
   * immutable version; `ALREADY_EXISTS` when it exists.
   */
  async publish(
    body: Uint8Array | Blob | ReadableStream<Uint8Array>,
    options: PublishOptions = {},
  ): Promise<PublishedVersion> {
    const { signatures, ...callOptions } = options;
    const answer = await this.#transport.json('POST', '/publish', {
      ...callOptions,
      headers:
        signatures === undefined
          ? callOptions.headers
          : { ...callOptions.headers, [SIGNATURE_HEADER]: JSON.stringify(signatures) },
      // Any Uint8Array is a valid body at run time; TS 5.9 only types ArrayBuffer-backed ones so.
      raw: {
        body: body as BodyInit,
        contentType: options.contentType ?? DEFAULT_PUBLISH_CONTENT_TYPE,
      },
    });
    const published = expectRecord(answer, this.#site('POST', '/publish'));
    if (typeof published['digest'] !== 'string') {
      throw unexpectedBodyError(this.#site('POST', '/publish'), '"digest" is not a string');
    }
    return published as unknown as PublishedVersion;
  }

  /** `GET /repositories`: the caller's repositories (never tokens). */
  async listRepositories(options: CallOptions = {}): Promise<RepositoryList> {
    const body = await this.#get('/repositories', options);
    return expectPage(
      body,
      'repositories',
      this.#site('GET', '/repositories'),
    ) as unknown as RepositoryList;
  }

  /** `POST /repositories` (admin): adds a REMOTE repository. */
  async addRepository(
    input: AddRepositoryInput,
    options: AddRepositoryOptions = {},
  ): Promise<RepositoryView> {
    const answer = await this.#transport.json('POST', '/repositories', {
      ...options,
      json: input,
      query: { verify: options.verify === false ? false : undefined },
    });
    return expectRecord(answer, this.#site('POST', '/repositories')) as unknown as RepositoryView;
  }

  /** `DELETE /repositories/{id}` (admin). */
  async deleteRepository(id: string, options: CallOptions = {}): Promise<void> {
    await this.#transport.json('DELETE', `/repositories/${encodeURIComponent(id)}`, options);
  }

  /** `POST /refresh` (admin): the server re-reads its MANAGED folders. */
  async refresh(options: CallOptions = {}): Promise<Record<string, unknown>> {
    const answer = await this.#transport.json('POST', '/refresh', options);
    return expectRecord(answer, this.#site('POST', '/refresh'));
  }

  /** `GET /whoami`: whom the credentials belong to (`{authenticated: false}` without any). */
  async whoami(options: CallOptions = {}): Promise<Record<string, unknown>> {
    return expectRecord(await this.#get('/whoami', options), this.#site('GET', '/whoami'));
  }

  /**
   * `POST /plugins` (publisher role): registers a LOCAL plugin from a manifest in any importer
   * format, sent as YAML or JSON text; answers the stored detail.
   */
  async registerPlugin(
    manifestText: string,
    options: CallOptions & { contentType?: string | undefined } = {},
  ): Promise<PluginDetail> {
    const { contentType, ...callOptions } = options;
    const answer = await this.#transport.json('POST', '/plugins', {
      ...callOptions,
      raw: { body: manifestText, contentType: contentType ?? 'application/yaml' },
    });
    return expectRecord(answer, this.#site('POST', '/plugins')) as unknown as PluginDetail;
  }

  /** `POST /plugins/{name}/{version}/yank` (publisher role), with an optional reason. */
  async yankVersion(
    name: string,
    version: string,
    reason?: string,
    options: CallOptions = {},
  ): Promise<VersionView> {
    const path = versionPath(name, version, 'yank');
    const answer = await this.#transport.json('POST', path, {
      ...options,
      json: reason === undefined ? {} : { reason },
    });
    return expectRecord(answer, this.#site('POST', path)) as unknown as VersionView;
  }

  /** `DELETE /plugins/{name}/{version}/yank` (publisher role): lifts a yank. */
  async unyankVersion(
    name: string,
    version: string,
    options: CallOptions = {},
  ): Promise<VersionView> {
    const path = versionPath(name, version, 'yank');
    const answer = await this.#transport.json('DELETE', path, options);
    return expectRecord(answer, this.#site('DELETE', path)) as unknown as VersionView;
  }

  /** `POST /plugins/{name}/{version}/deprecate` (publisher role); an empty message lifts it. */
  async deprecateVersion(
    name: string,
    version: string,
    message: string,
    options: CallOptions = {},
  ): Promise<VersionView> {
    const path = versionPath(name, version, 'deprecate');
    const answer = await this.#transport.json('POST', path, { ...options, json: { message } });
    return expectRecord(answer, this.#site('POST', path)) as unknown as VersionView;
  }

  /** `POST /plugins/{name}/enable` (publisher role): a LOCAL plugin is served again. */
  async enablePlugin(name: string, options: CallOptions = {}): Promise<PluginDetail> {
    return this.#setPluginState(name, 'enable', options);
  }

  /**
   * `POST /plugins/{name}/disable` (publisher role): a LOCAL plugin stays listed but disabled.
   * MANAGED and REMOTE plugins are read-only (`FORBIDDEN`).
   */
  async disablePlugin(name: string, options: CallOptions = {}): Promise<PluginDetail> {
    return this.#setPluginState(name, 'disable', options);
  }

  async #setPluginState(
    name: string,
    action: 'enable' | 'disable',
    options: CallOptions,
  ): Promise<PluginDetail> {
    const path = `${pluginPath(name)}/${action}`;
    const answer = await this.#transport.json('POST', path, options);
    return expectRecord(answer, this.#site('POST', path)) as unknown as PluginDetail;
  }

  async #get(path: string, request: CallOptions & { query?: QueryParameters }): Promise<unknown> {
    return this.#transport.json('GET', path, request);
  }

  #site(method: string, path: string): CallSite {
    return { registry: this.url, method, path };
  }
}

function pluginPath(name: string): string {
  return `/plugins/${encodeURIComponent(name)}`;
}

function versionPath(name: string, version: string, leaf: string): string {
  return `${pluginPath(name)}/${encodeURIComponent(version)}/${leaf}`;
}

function listQuery(query: PluginListQuery): QueryParameters {
  return {
    q: query.q,
    provider: query.provider,
    type: query.type,
    capability: query.capability,
    label: query.label,
    repository: query.repository,
    state: query.state,
    sort: query.sort,
    order: query.order,
    page: query.page,
    limit: query.limit,
    fields: query.fields,
  };
}
