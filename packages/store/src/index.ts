/**
 * @plugboard/store — where the registry keeps things: the `MetadataStore` (SQLite or PostgreSQL,
 * over Kysely) and the content-addressed `BlobStore`. Everything exported here is public API.
 */

// --- opening a store (composition roots only) ---
export { openMetadataStore, parseMetadataStoreUrl } from './open-metadata-store.js';
export type { OpenMetadataStoreOptions, MetadataStoreLocation } from './open-metadata-store.js';
export { openSqliteMetadataStore } from './sqlite/sqlite-metadata-store.js';
export type { SqliteMetadataStoreOptions } from './sqlite/sqlite-metadata-store.js';
export { DEFAULT_SQLITE_BUSY_TIMEOUT_MS } from './sqlite/sqlite-dialect.js';
export { openPostgresMetadataStore } from './postgres/postgres-metadata-store.js';
export type { PostgresMetadataStoreOptions } from './postgres/postgres-metadata-store.js';
export {
  DEFAULT_POSTGRES_POOL_SIZE,
  DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS,
  POSTGRES_SCHEMA_PATTERN,
} from './postgres/postgres-dialect.js';
export type { MetadataStoreOptions } from './kysely/kysely-metadata-store.js';
export { SILENT_STORE_LOGGER } from './store-logger.js';
export type { StoreLogger, LogFields, LogMethod } from './store-logger.js';

// --- the metadata store ---
export type { MetadataStore, MetadataBackendName } from './metadata/metadata-store.js';
export { DOMAIN_ID_PATTERN } from './metadata/domain-record.js';
export type { Domain, CreateDomainInput } from './metadata/domain-record.js';
export {
  TOKEN_ROLES,
  TOKEN_PREFIX_LENGTH,
  hashTokenSecret,
  generateTokenSecret,
  isTokenRole,
} from './metadata/api-token-record.js';
export type {
  ApiToken,
  TokenRole,
  CreateTokenInput,
  CreatedToken,
} from './metadata/api-token-record.js';
export { capabilityTypesOf } from './metadata/plugin-record.js';
export type {
  PluginRecord,
  PluginInput,
  PluginPatch,
  PluginImage,
  JsonObject,
} from './metadata/plugin-record.js';
export {
  PLUGIN_SORT_FIELDS,
  DEFAULT_PLUGIN_PAGE_LIMIT,
  MAX_PLUGIN_PAGE_LIMIT,
} from './metadata/plugin-query.js';
export type {
  PluginQuery,
  PluginPage,
  PluginSortField,
  SortOrder,
} from './metadata/plugin-query.js';
export { toVersionCandidate } from './metadata/version-record.js';
export type {
  VersionRecord,
  ArtifactReference,
  VersionSignature,
  PublishVersionInput,
  PublishResult,
} from './metadata/version-record.js';
export {
  toPublicRepository,
  DEFAULT_REPOSITORY_PRIORITY,
  DEFAULT_REPOSITORY_TIMEOUT_MS,
} from './metadata/repository-record.js';
export type {
  RemoteRepository,
  RemoteRepositoryConnection,
  ClearRepositoryToken,
  CreateRepositoryInput,
} from './metadata/repository-record.js';
export type {
  StoreChange,
  RecordChange,
  ResyncChange,
  ChangedEntity,
  ChangeListener,
} from './metadata/store-change.js';
export { MAX_TEXT_FIELD_CHARS } from './metadata/validate-store-input.js';

// --- the blob store ---
export type {
  BlobStore,
  BlobInfo,
  BlobContent,
  PutBlobOptions,
  SweepOptions,
  SweepResult,
} from './blob/blob-store.js';
export { FsBlobStore, STALE_TEMP_FILE_AGE_MS } from './blob/fs-blob-store.js';
export type { FsBlobStoreOptions } from './blob/fs-blob-store.js';
export { SHA256_DIGEST_PATTERN, isSha256Digest } from './blob/sha256-digest.js';

// --- the provider store (providers, collection runs, resources; seed 004) ---
export { openProviderStore } from './open-provider-store.js';
export type { OpenProviderStoreOptions } from './open-provider-store.js';
export type { ProviderStoreOptions } from './kysely/kysely-provider-store.js';
export {
  DEFAULT_PROVIDER_PAGE_LIMIT,
  MAX_PROVIDER_PAGE_LIMIT,
} from './providers/provider-store.js';
export type { ProviderStore } from './providers/provider-store.js';
export type {
  ProviderRecord,
  ProviderInput,
  ProviderPatch,
  ProviderQuery,
  ProviderPage,
  PluginUsage,
} from './providers/provider-record.js';
export {
  RUN_STATES,
  ZERO_RUN_COUNTS,
  isFinalRunState,
  isRunState,
} from './providers/collection-run-record.js';
export type {
  RunState,
  FinalRunState,
  RunCounts,
  RunError,
  CollectionRunRecord,
  CreateRunInput,
  RunQuery,
  RunPage,
  RunProgress,
  RunHeartbeat,
  RunOutcome,
} from './providers/collection-run-record.js';
export type {
  ResourceLink,
  ResourceInput,
  ResourceRecord,
  ResourceQuery,
  ResourcePage,
  ResourceDriftRecord,
  IngestTarget,
  IngestCounts,
} from './providers/resource-record.js';
export { DEFAULT_DRIFT_LIMIT } from './kysely/resource-queries.js';
export {
  PROVIDER_MIGRATION_TABLE,
  PROVIDER_MIGRATION_LOCK_TABLE,
} from './kysely/migrations/provider-migrations.js';
