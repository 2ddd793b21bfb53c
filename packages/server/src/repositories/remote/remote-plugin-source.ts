import { isPlugboardError } from '@plugboard/core';
import {
  RegistryClient,
  type CallOptions,
  type FetchFunction,
  type PluginListQuery,
} from '@plugboard/client';
import { DEFAULT_PLUGIN_PAGE_LIMIT, MAX_PLUGIN_PAGE_LIMIT, type BlobStore } from '@plugboard/store';
import { MAX_MERGED_LIST_DEPTH } from '../../catalog/catalog.js';
import type {
  ArtifactStream,
  CatalogScope,
  PluginSource,
  SourcePage,
  SourceQuery,
} from '../../catalog/plugin-source.js';
import { pageOfSummaries } from '../local/summary-filter.js';
import type { PluginDetail, PluginSummary, RepositoryRef } from '../../catalog/plugin-view.js';
import {
  CircuitBreaker,
  type CircuitBreakerSettings,
  type CircuitState,
} from './circuit-breaker.js';
import {
  REMOTE_PRIORITY_BASE,
  displayEndpoint,
  type RemoteDefinition,
} from './remote-definition.js';
import { RemoteArtifacts } from './remote-artifacts.js';
import { RecentEntries } from '../../cache/recent-entries.js';
import { viaHeaders } from './remote-hops.js';
import { classifyRemoteError, isAbsentAnswer, remoteFailure } from './remote-failure.js';
import type { RemoteLogger } from './remote-logger.js';
import { remoteDetail, remoteSummary } from './remote-views.js';

/** How long a remote's whole filtered list, read to count duplicates, is reused, in milliseconds. */
export const REMOTE_NAMES_CACHE_TTL_MS = 10_000;

/** Plugin details one remote source keeps to answer while the remote is down. */
export const MAX_REMEMBERED_DETAILS = 1_000;

/** Filter combinations whose whole remote list is kept at once. */
const MAX_CACHED_FILTERED_LISTS = 20;

/** What one REMOTE source needs besides its definition. */
export interface RemotePluginSourceOptions {
  readonly blobs: BlobStore;
  readonly breaker: CircuitBreakerSettings;
  /** Largest artifact cached when the remote does not announce a size, in bytes. */
  readonly maxArtifactBytes: number;
  /** Aborts every call in flight when the server shuts down. */
  readonly signal: AbortSignal;
  readonly logger: RemoteLogger;
  readonly fetch?: FetchFunction | undefined;
  /** This server's registry id, sent in `Plugboard-Via` with every call to the remote. */
  readonly registryId: () => Promise<string>;
  readonly now?: (() => number) | undefined;
}

/**
 * A `PluginSource` over another Plugboard server (seed 000's REMOTE repository): list, get,
 * manifest and artifact go through to it with its token and timeout, behind a circuit breaker.
 * Results are marked `repository_type: REMOTE` with this repository's id and name. The token
 * stays inside the client: it is never in a result, an error or a log line.
 */
export class RemotePluginSource implements PluginSource {
  readonly ref: RepositoryRef;
  readonly priority: number;
  readonly definition: RemoteDefinition;
  /** Undefined when the definition cannot make a client (then every call fails, naming why). */
  readonly #client: RegistryClient | undefined;
  readonly #misconfiguration: unknown;
  readonly #breaker: CircuitBreaker;
  readonly #artifacts: RemoteArtifacts;
  readonly #options: RemotePluginSourceOptions;
  readonly #label: string;
  readonly #now: () => number;
  readonly #lastDetails = new RecentEntries<{ detail: PluginDetail; at: string }>(
    MAX_REMEMBERED_DETAILS,
  );
  readonly #filteredLists = new RecentEntries<{
    expires: number;
    plugins: Promise<readonly PluginSummary[]>;
  }>(MAX_CACHED_FILTERED_LISTS);

  constructor(definition: RemoteDefinition, options: RemotePluginSourceOptions) {
    this.definition = definition;
    this.ref = { type: 'REMOTE', id: definition.id, name: definition.name };
    this.priority = REMOTE_PRIORITY_BASE + definition.priority;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    let client: RegistryClient | undefined;
    try {
      if (definition.tokenProblem !== undefined) throw definition.tokenProblem;
      client = new RegistryClient({
        url: definition.endpoint,
        token: definition.token,
        timeoutMs: definition.timeoutMs,
        fetch: options.fetch,
      });
    } catch (error) {
      // A bad config entry or an unreadable stored token fails this repository's calls, not the
      // server or other repositories.
      this.#misconfiguration = error;
    }
    this.#client = client;
    this.#label = `REMOTE repository "${definition.name}"`;
    const logFields = {
      repository: definition.name,
      id: definition.id,
      endpoint: displayEndpoint(definition.endpoint),
    };
    this.#breaker = new CircuitBreaker({
      ...options.breaker,
      now: options.now,
      onStateChange: (state, failures) => {
        const fields = { ...logFields, circuit: state, failures };
        if (state === 'open') options.logger.warn(fields, 'remote repository circuit opened');
        else options.logger.info(fields, `remote repository circuit ${state}`);
      },
    });
    this.#artifacts = new RemoteArtifacts(options.blobs, options.maxArtifactBytes);
  }

  /** The circuit breaker's state (for `GET /repositories` and tests). */
  get circuit(): CircuitState {
    return this.#breaker.state;
  }

  /**
   * The remote's plugins in the window `query` selects, read in pages of at most
   * `MAX_PLUGIN_PAGE_LIMIT`. Fails (and the catalog leaves this part out with a warning) when the
   * remote cannot answer.
   */
  async list(scope: CatalogScope, query: SourceQuery): Promise<SourcePage> {
    if (query.names !== undefined) return this.#listNamed(scope, query);
    return this.#readWindow(scope, query);
  }

  async #readWindow(scope: CatalogScope, query: SourceQuery): Promise<SourcePage> {
    const limit = query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
    const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
    const pageSize = Math.min(limit, MAX_PLUGIN_PAGE_LIMIT);
    const filters = remoteFilters(query);
    const plugins: PluginSummary[] = [];
    const warnings: string[] = [];
    let total = 0;
    let start = Math.floor(offset / pageSize) * pageSize;
    for (let first = true; start < offset + limit; first = false, start += pageSize) {
      const page = await this.#call(undefined, scope, (client, options) =>
        client.listPlugins({ ...filters, page: start / pageSize + 1, limit: pageSize }, options),
      );
      if (first) {
        total = Number.isSafeInteger(page.total) && page.total > 0 ? page.total : 0;
        warnings.push(...page.warnings.map((warning) => `${this.#label}: ${warning}`));
      }
      page.plugins.forEach((raw, index) => {
        const row = start + index;
        const plugin = remoteSummary(raw, this.ref);
        if (plugin !== undefined && row >= offset && row < offset + limit) plugins.push(plugin);
      });
      if (page.plugins.length < pageSize || start + pageSize >= total) break;
    }
    return { plugins, total, warnings };
  }

  /**
   * The `names` filter, which the catalog uses to count plugins found in several repositories. The
   * remote API has no such filter, so the remote's whole filtered list (up to
   * `MAX_MERGED_LIST_DEPTH` rows) is read and kept for `REMOTE_NAMES_CACHE_TTL_MS`. A remote that
   * cannot answer gives an empty page: the catalog's total is then approximate, never failed.
   */
  async #listNamed(scope: CatalogScope, query: SourceQuery): Promise<SourcePage> {
    const filters = remoteFilters(query);
    const key = JSON.stringify(filters);
    const now = this.#now();
    let cached = this.#filteredLists.get(key);
    if (cached === undefined || cached.expires <= now) {
      cached = {
        expires: now + REMOTE_NAMES_CACHE_TTL_MS,
        // Shared by the requests of the next minute; the first one's path goes out with it.
        plugins: this.#readWindow(scope, {
          ...filters,
          offset: 0,
          limit: MAX_MERGED_LIST_DEPTH,
        }).then((page) => page.plugins),
      };
      this.#filteredLists.set(key, cached);
    }
    try {
      const plugins = await cached.plugins;
      const { names, sort, order, offset, limit } = query;
      return pageOfSummaries(plugins, { names, sort, order, offset, limit });
    } catch (error) {
      this.#filteredLists.delete(key);
      const reason = error instanceof Error ? error.message : String(error);
      return { plugins: [], total: 0, warnings: [`${this.#label}: ${reason}`] };
    }
  }

  /**
   * The plugin as the remote sees it (with the remote's `warnings`, which the read routes show),
   * or undefined when the remote does not have it. While the remote cannot answer, the detail it
   * last gave is returned with a warning saying so.
   */
  async get(scope: CatalogScope, name: string): Promise<PluginDetail | undefined> {
    let raw: Awaited<ReturnType<RegistryClient['getPlugin']>> | undefined;
    try {
      raw = await this.#absentAsUndefined(scope, (client, options) =>
        client.getPlugin(name, options),
      );
    } catch (error) {
      // Stale-if-error: what the remote last said beats a failure (installs keep working, and
      // the artifact is served from the cache by its remembered digest).
      const last = this.#lastDetails.get(name);
      if (last === undefined || isPlugboardError(error, 'ABORTED')) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      return withWarnings(last.detail, [`${reason}; showing what it listed at ${last.at}`]);
    }
    if (raw === undefined) {
      this.#lastDetails.delete(name);
      return undefined;
    }
    const detail = remoteDetail(raw, this.ref);
    if (detail === undefined || detail.name !== name) return undefined;
    this.#artifacts.remember(name, detail.versions);
    this.#lastDetails.set(name, { detail, at: new Date(this.#now()).toISOString() });
    // The remote's own caveats (its image registry or its remotes were down) stay visible.
    const warnings = (raw.warnings ?? []).filter((w): w is string => typeof w === 'string');
    return withWarnings(
      detail,
      warnings.map((warning) => `${this.#label}: ${warning}`),
    );
  }

  /** The manifest of one version, or undefined when the remote has no such version. */
  async manifest(
    scope: CatalogScope,
    name: string,
    version: string,
  ): Promise<Record<string, unknown> | undefined> {
    return this.#absentAsUndefined(scope, (client, options) =>
      client.getManifest(name, version, options),
    );
  }

  /**
   * The artifact, from this server's blob store when cached, else downloaded from the remote,
   * verified against the digest the remote listed and cached. Undefined when the version is
   * unknown or the remote lists no digest for it (an unverifiable artifact is never served).
   */
  async artifact(
    scope: CatalogScope,
    name: string,
    version: string,
  ): Promise<ArtifactStream | undefined> {
    let reference = this.#artifacts.reference(name, version);
    if (reference === undefined) {
      await this.get(scope, name);
      reference = this.#artifacts.reference(name, version);
    }
    if (reference === undefined) return undefined;
    const known = reference;
    return this.#artifacts.open(known, () =>
      this.#call(this.#label, scope, async (client, options) => {
        const download = await client.downloadArtifact(name, version, options);
        await this.#artifacts.store(this.#label, known, download);
      }),
    );
  }

  async #absentAsUndefined<T>(
    scope: CatalogScope,
    call: (client: RegistryClient, options: CallOptions) => Promise<T>,
  ): Promise<T | undefined> {
    try {
      return await this.#call(this.#label, scope, call);
    } catch (error) {
      if (isAbsentAnswer(error)) return undefined;
      throw error;
    }
  }

  // Every remote call: through the breaker, aborted on shutdown, failures named and re-coded; it
  // names the servers on the request's path and this one, so remotes listing each other cannot loop.
  async #call<T>(
    label: string | undefined,
    scope: CatalogScope,
    call: (client: RegistryClient, options: CallOptions) => Promise<T>,
  ): Promise<T> {
    const client = this.#client;
    if (client === undefined) throw remoteFailure(label, this.#misconfiguration);
    try {
      const headers = viaHeaders(scope.via ?? [], await this.#options.registryId());
      const options = { signal: this.#options.signal, headers };
      return await this.#breaker.run(() => call(client, options), classifyRemoteError);
    } catch (error) {
      // "Not found" is an answer for the caller; a digest mismatch already names the repository.
      if (isAbsentAnswer(error) || isPlugboardError(error, 'DIGEST_MISMATCH')) throw error;
      throw remoteFailure(label, error);
    }
  }
}

function withWarnings(detail: PluginDetail, warnings: readonly string[]): PluginDetail {
  if (warnings.length === 0) return detail;
  const shown: PluginDetail & { warnings: readonly string[] } = { ...detail, warnings };
  return shown;
}

// The catalog's filters, without `repository` (that selects this source, not the remote's).
function remoteFilters(query: SourceQuery): PluginListQuery {
  return {
    q: query.q,
    provider: query.provider,
    type: query.type,
    capability: query.capability,
    label: query.label,
    state: query.state,
    sort: query.sort,
    order: query.order,
  };
}
