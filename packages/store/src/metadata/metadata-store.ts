import type { ApiToken, CreateTokenInput, CreatedToken } from './api-token-record.js';
import type { CreateDomainInput, Domain } from './domain-record.js';
import type { PluginPage, PluginQuery } from './plugin-query.js';
import type { PluginInput, PluginPatch, PluginRecord } from './plugin-record.js';
import type {
  ClearRepositoryToken,
  CreateRepositoryInput,
  RemoteRepository,
  RemoteRepositoryConnection,
} from './repository-record.js';
import type { ChangeListener } from './store-change.js';
import type { PublishResult, PublishVersionInput, VersionRecord } from './version-record.js';

/** The database backends a `MetadataStore` can run on. */
export type MetadataBackendName = 'sqlite' | 'postgres';

/**
 * Everything the registry keeps about domains, tokens, LOCAL plugins and their versions, and
 * REMOTE repository configs. One interface, two backends (SQLite, PostgreSQL); callers never know
 * which. Every method fails only with a `PlugboardError`: `ALREADY_EXISTS`, `NOT_FOUND`,
 * `PLUGIN_NOT_FOUND`, `VERSION_NOT_FOUND`, `INVALID_ARGUMENT`, `VERSION_INVALID`, `UNAVAILABLE`
 * (the database cannot be reached) or `INTERNAL`.
 *
 * `get…` methods return `undefined` for a missing record; methods that change a record throw.
 */
export interface MetadataStore {
  /** Which backend this is (for logs and metrics only). */
  readonly backend: MetadataBackendName;

  /** Applies pending migrations (already done at open); returns the names it applied. */
  migrate(): Promise<string[]>;
  /** Throws `UNAVAILABLE` unless the database answers a trivial query. */
  ping(): Promise<void>;
  /** Stops notifications and closes every connection. Later calls fail with `UNAVAILABLE`. */
  close(): Promise<void>;
  /**
   * Calls `listener` after each committed write, by this instance or (PostgreSQL) any other
   * instance on the same database. Returns a function that removes the listener.
   */
  onChange(listener: ChangeListener): () => void;

  /** Creates a domain; `ALREADY_EXISTS` when the id is taken. */
  createDomain(input: CreateDomainInput): Promise<Domain>;
  getDomain(id: string): Promise<Domain | undefined>;
  /** All domains, by id. */
  listDomains(): Promise<Domain[]>;

  /** Stores a token's hash and prefix and returns the secret (generated unless given). */
  createToken(input: CreateTokenInput): Promise<CreatedToken>;
  /** The token with this secret hash, unless it is revoked or expired. */
  findTokenByHash(secretHash: string): Promise<ApiToken | undefined>;
  /** A domain's tokens, revoked ones included, oldest first. */
  listTokens(domainId: string): Promise<ApiToken[]>;
  /** Revokes a token of the domain; `NOT_FOUND` when the domain has no such token. */
  revokeToken(domainId: string, tokenId: string): Promise<ApiToken>;

  /** Registers a plugin; `ALREADY_EXISTS` when the domain has one of that name. */
  createPlugin(domainId: string, input: PluginInput): Promise<PluginRecord>;
  /** Creates the plugin or replaces its metadata (keeping `createdAt`, and `enabled` unless given). */
  upsertPlugin(domainId: string, input: PluginInput): Promise<PluginRecord>;
  /** Changes some fields; `PLUGIN_NOT_FOUND` when absent. */
  updatePlugin(domainId: string, name: string, patch: PluginPatch): Promise<PluginRecord>;
  getPlugin(domainId: string, name: string): Promise<PluginRecord | undefined>;
  /** Deletes the plugin with its versions and dist-tags; `PLUGIN_NOT_FOUND` when absent. */
  deletePlugin(domainId: string, name: string): Promise<void>;
  /** Enables or disables a plugin; `PLUGIN_NOT_FOUND` when absent. */
  setPluginEnabled(domainId: string, name: string, enabled: boolean): Promise<PluginRecord>;
  /** One page of the domain's plugins matching `query`, and the total across pages. */
  listPlugins(domainId: string, query?: PluginQuery): Promise<PluginPage>;

  /**
   * Stores a new immutable version atomically, creating the plugin when it is missing.
   * `ALREADY_EXISTS` when the version exists; nothing is stored then.
   */
  publishVersion(domainId: string, input: PublishVersionInput): Promise<PublishResult>;
  /** Versions of a plugin, highest SemVer first; `PLUGIN_NOT_FOUND` when the plugin is absent. */
  listVersions(domainId: string, name: string): Promise<VersionRecord[]>;
  getVersion(domainId: string, name: string, version: string): Promise<VersionRecord | undefined>;
  /** Marks a version yanked, with an optional reason; `VERSION_NOT_FOUND` when absent. */
  yankVersion(
    domainId: string,
    name: string,
    version: string,
    reason?: string,
  ): Promise<VersionRecord>;
  /** Lifts a yank; `VERSION_NOT_FOUND` when absent. */
  unyankVersion(domainId: string, name: string, version: string): Promise<VersionRecord>;
  /** Deprecates a version with a message; an empty message lifts the deprecation. */
  deprecateVersion(
    domainId: string,
    name: string,
    version: string,
    message: string,
  ): Promise<VersionRecord>;
  /** The plugin's dist-tags (`{latest: "1.2.0"}`); `PLUGIN_NOT_FOUND` when the plugin is absent. */
  getDistTags(domainId: string, name: string): Promise<Record<string, string>>;
  /** Points a dist-tag at an existing version; `VERSION_NOT_FOUND` when the version is absent. */
  setDistTag(domainId: string, name: string, tag: string, version: string): Promise<void>;
  /** Removes a dist-tag; `NOT_FOUND` when the plugin has no such tag. */
  deleteDistTag(domainId: string, name: string, tag: string): Promise<void>;

  /** Adds a REMOTE repository; `ALREADY_EXISTS` when the domain has one of that name. */
  createRepository(domainId: string, input: CreateRepositoryInput): Promise<RemoteRepository>;
  /** The domain's REMOTE repositories without tokens, by priority then name. */
  listRepositories(domainId: string): Promise<RemoteRepository[]>;
  /** The same list with tokens, for calling the remotes; never return it to a client. */
  listRepositoryConnections(domainId: string): Promise<RemoteRepositoryConnection[]>;
  getRepository(domainId: string, id: string): Promise<RemoteRepository | undefined>;
  /** One REMOTE repository with its token, for calling it; never return it to a client. */
  getRepositoryConnection(
    domainId: string,
    id: string,
  ): Promise<RemoteRepositoryConnection | undefined>;
  /** Deletes a REMOTE repository; `NOT_FOUND` when the domain has no such repository. */
  deleteRepository(domainId: string, id: string): Promise<void>;
  /**
   * Replaces every clear REMOTE token (rows of servers before sealed tokens) by what `seal`
   * returns for it; returns how many rows this call sealed. `seal` may throw to stop.
   */
  sealRepositoryTokens(seal: (clear: ClearRepositoryToken) => string): Promise<number>;

  /**
   * This registry's stable id (`reg-<uuid>`), generated and stored by the first call; replicas
   * on one database share it.
   */
  registryId(): Promise<string>;
  /** Which of `digests` some version row (of any domain) has as its artifact. */
  referencedDigests(digests: readonly string[]): Promise<Set<string>>;
}
