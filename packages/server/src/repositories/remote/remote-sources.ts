import type { FetchFunction } from '@plugboard/client';
import type {
  BlobStore,
  MetadataStore,
  RemoteRepositoryConnection,
  StoreChange,
} from '@plugboard/store';
import type { PluginSource } from '../../catalog/plugin-source.js';
import type { ServerConfig } from '../../config/server-config.js';
import {
  DEFAULT_BREAKER_COOLDOWN_MS,
  DEFAULT_BREAKER_FAILURE_THRESHOLD,
  type CircuitBreakerSettings,
  type CircuitState,
} from './circuit-breaker.js';
import {
  definitionFromConfig,
  definitionFromConnection,
  sameConnection,
  type RemoteDefinition,
} from './remote-definition.js';
import { SILENT_REMOTE_LOGGER, type RemoteLogger } from './remote-logger.js';
import { mustStayLocal } from './remote-hops.js';
import { RemotePluginSource } from './remote-plugin-source.js';
import { RemoteTokenBox } from './remote-token-box.js';

/**
 * How long a domain's REMOTE repository list is reused without asking the store, in milliseconds.
 * Store change notifications drop it sooner; this bounds staleness if a notification is missed.
 */
export const DEFAULT_REMOTE_LIST_TTL_MS = 30_000;

/** What `RemoteSources` is built from. */
export interface RemoteSourcesOptions {
  readonly config: Pick<ServerConfig, 'remotes' | 'maxPublishBytes' | 'secretKey' | 'dataDir'>;
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  readonly logger?: RemoteLogger | undefined;
  /** Circuit breaker tuning; defaults to 3 failures and a 30 s cool-down. */
  readonly breaker?: Partial<CircuitBreakerSettings> | undefined;
  /** Defaults to `DEFAULT_REMOTE_LIST_TTL_MS`. */
  readonly listTtlMs?: number | undefined;
  /** Injectable for tests (a proxy, a failing network). */
  readonly fetch?: FetchFunction | undefined;
  /** Clock in milliseconds, for the breakers and the list cache. */
  readonly now?: (() => number) | undefined;
}

/**
 * The REMOTE repositories of the server: those of the config file (visible to every domain) and
 * those a domain added through the API (from the store). Each remote gets one long-lived
 * `RemotePluginSource`, so its circuit breaker and artifact digests outlive a request; a source is
 * replaced when its endpoint, token, priority or timeout changes.
 *
 * @example
 * const remotes = new RemoteSources({ config, store, blobs, logger });
 * const sources = await remotes.forDomain(principal?.domainId);
 */
export class RemoteSources {
  readonly #options: RemoteSourcesOptions;
  readonly #settings: CircuitBreakerSettings;
  readonly #now: () => number;
  readonly #shutdown = new AbortController();
  readonly #sources = new Map<string, RemotePluginSource>();
  readonly #lists = new Map<
    string,
    { expires: number; definitions: Promise<RemoteDefinition[]> }
  >();
  readonly #configDefinitions: readonly RemoteDefinition[];
  readonly #unsubscribe: () => void;
  readonly #tokens: RemoteTokenBox;
  readonly #logger: RemoteLogger;
  /** Settles (never rejects) once clear tokens of older servers are sealed, or that failed. */
  readonly #clearTokensSealed: Promise<void>;
  #registryId: Promise<string> | undefined;

  constructor(options: RemoteSourcesOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#settings = {
      failureThreshold: options.breaker?.failureThreshold ?? DEFAULT_BREAKER_FAILURE_THRESHOLD,
      cooldownMs: options.breaker?.cooldownMs ?? DEFAULT_BREAKER_COOLDOWN_MS,
    };
    this.#configDefinitions = options.config.remotes.map(definitionFromConfig);
    this.#unsubscribe = options.store.onChange((change) => this.#forget(change));
    this.#tokens = new RemoteTokenBox(options.config);
    this.#logger = options.logger ?? SILENT_REMOTE_LOGGER;
    this.#clearTokensSealed = this.#sealClearTokens();
    // Read now so the first REMOTE call does not wait for it (a failure is retried on use).
    this.registryId().catch(() => undefined);
  }

  /**
   * The REMOTE sources a domain sees: the config file's and its own. Anonymous callers
   * (`undefined`) see none: anonymous reads cover MANAGED plugins only. `via` is the path of
   * Plugboard servers the request already went through (its `Plugboard-Via` header).
   */
  async forDomain(
    domainId: string | undefined,
    via: readonly string[] = [],
  ): Promise<PluginSource[]> {
    return this.sourcesFor(domainId, via);
  }

  /** Like `forDomain`, typed as REMOTE sources (for routes that show circuit states). */
  async sourcesFor(
    domainId: string | undefined,
    via: readonly string[] = [],
  ): Promise<RemotePluginSource[]> {
    if (domainId === undefined || this.#shutdown.signal.aborted) return [];
    // A request that already went through this server (or through too many) is answered from
    // LOCAL and MANAGED only: remotes that list each other stop here instead of looping.
    if (via.length > 0 && mustStayLocal(await this.registryId(), via)) return [];
    const definitions = [...this.#configDefinitions, ...(await this.#domainDefinitions(domainId))];
    return definitions.map((definition) => this.#source(definition));
  }

  /** This server's registry id (read from the store once), as sent in `Plugboard-Via`. */
  registryId(): Promise<string> {
    if (this.#registryId === undefined) {
      const reading = this.#options.store.registryId();
      this.#registryId = reading;
      // A failed read (store down) is not kept: the next call asks again.
      reading.catch(() => {
        if (this.#registryId === reading) this.#registryId = undefined;
      });
    }
    return this.#registryId;
  }

  /** The circuit state of a REMOTE repository this server has called, or undefined. */
  circuit(id: string): CircuitState | undefined {
    return this.#sources.get(id)?.circuit;
  }

  /** Aborts calls in flight and stops listening to the store. */
  async close(): Promise<void> {
    this.#unsubscribe();
    this.#shutdown.abort();
    this.#sources.clear();
    this.#lists.clear();
  }

  async #domainDefinitions(domainId: string): Promise<RemoteDefinition[]> {
    const now = this.#now();
    const cached = this.#lists.get(domainId);
    if (cached !== undefined && cached.expires > now) return cached.definitions;
    const definitions = this.#clearTokensSealed
      .then(() => this.#options.store.listRepositoryConnections(domainId))
      .then((connections) =>
        Promise.all(connections.map((connection) => this.#definition(connection))),
      );
    const entry = {
      expires: now + (this.#options.listTtlMs ?? DEFAULT_REMOTE_LIST_TTL_MS),
      definitions,
    };
    this.#lists.set(domainId, entry);
    // A failed read is not cached: the next request asks the store again.
    definitions.catch(() => {
      if (this.#lists.get(domainId) === entry) this.#lists.delete(domainId);
    });
    return definitions;
  }

  // The token is opened here, once per list read; a token that does not open fails only its
  // repository's calls, with an error naming it.
  async #definition(connection: RemoteRepositoryConnection): Promise<RemoteDefinition> {
    if (connection.sealedToken === undefined) {
      // No token, or a clear one an older server wrote that could not be sealed yet.
      return definitionFromConnection(connection, { token: connection.token });
    }
    try {
      const token = await this.#tokens.open(
        connection.domainId,
        connection.name,
        connection.sealedToken,
      );
      return definitionFromConnection(connection, { token });
    } catch (error) {
      const problem = error instanceof Error ? error : new Error(String(error));
      this.#logger.warn(
        { repository: connection.name, id: connection.id, err: problem.message },
        'remote repository token cannot be decrypted',
      );
      return definitionFromConnection(connection, { problem });
    }
  }

  /**
   * Tokens stored in clear by servers before sealed tokens are sealed when the server starts
   * (a replica doing the same at once is harmless). Until then, and if sealing fails (logged),
   * they are read as they are.
   */
  async #sealClearTokens(): Promise<void> {
    try {
      const sealed = await this.#options.store.sealRepositoryTokens(await this.#tokens.sealer());
      if (sealed > 0) {
        this.#logger.info(
          { sealed },
          'sealed REMOTE repository tokens an older server stored in clear',
        );
      }
    } catch (error) {
      if (this.#shutdown.signal.aborted) return;
      this.#logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not seal REMOTE repository tokens stored in clear; they are still used as they are',
      );
    }
  }

  #source(definition: RemoteDefinition): RemotePluginSource {
    const existing = this.#sources.get(definition.id);
    if (existing !== undefined && sameConnection(existing.definition, definition)) return existing;
    const source = new RemotePluginSource(definition, {
      blobs: this.#options.blobs,
      breaker: this.#settings,
      maxArtifactBytes: this.#options.config.maxPublishBytes,
      signal: this.#shutdown.signal,
      logger: this.#logger,
      fetch: this.#options.fetch,
      registryId: () => this.registryId(),
      now: this.#options.now,
    });
    this.#sources.set(definition.id, source);
    return source;
  }

  #forget(change: StoreChange): void {
    if (change.entity === 'all') {
      this.#lists.clear();
      return;
    }
    if (change.entity === 'domain') this.#lists.delete(change.key);
    if (change.entity !== 'repository') return;
    this.#lists.delete(change.domainId);
    if (change.action === 'deleted') this.#sources.delete(change.key);
  }
}
