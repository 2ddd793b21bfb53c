/**
 * @plugboard/client — a typed HTTP client for the Plugboard registry API (`/api/v1`), built on
 * `fetch` with no Node APIs, for the CLI, the web UI and servers that use another server as a
 * REMOTE repository. Everything exported here is public API.
 */
export {
  RegistryClient,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_MAX_JSON_RESPONSE_BYTES,
  DEFAULT_PUBLISH_CONTENT_TYPE,
  SIGNATURE_HEADER,
} from './registry-client.js';
export type {
  RegistryClientOptions,
  GetPluginOptions,
  PublishOptions,
  AddRepositoryOptions,
} from './registry-client.js';
export { parseRegistryUrl } from './transport/registry-transport.js';
export type {
  BasicCredentials,
  CallOptions,
  FetchFunction,
  QueryParameters,
} from './transport/registry-transport.js';
export { announcedDigest, DEFAULT_ARTIFACT_MEDIA_TYPE } from './artifact-download.js';
export type { ArtifactDownload } from './artifact-download.js';
export type {
  RepositoryType,
  RepositoryRef,
  PluginSummary,
  PluginDetail,
  VersionView,
  PluginSortField,
  PluginListQuery,
  ListPage,
  PluginList,
  VersionList,
  ResolvedPlugin,
  RepositoryView,
  RepositoryList,
  AddRepositoryInput,
  HealthStatus,
  VersionSignature,
  PublishedVersion,
} from './registry-types.js';
export { InventoryClient, DEFAULT_PROVIDER_PLUGIN_CONTENT_TYPE } from './inventory-client.js';
export type {
  CollectOptions,
  ProviderPluginDeleteOptions,
  ProviderPluginUploadOptions,
  ResourceDetailOptions,
} from './inventory-client.js';
export { FINAL_RUN_STATES, isFinalRunState } from './provider-types.js';
export type {
  ConnectionParameter,
  ConnectionTestResult,
  DriftEntry,
  ErrorSummary,
  ProviderInput,
  ProviderList,
  ProviderListQuery,
  ProviderPluginDetail,
  ProviderPluginList,
  ProviderPluginRefresh,
  ProviderPluginRemoval,
  ProviderPluginSummary,
  ProviderPluginTest,
  ProviderPluginUpload,
  ProviderUpdate,
  ProviderView,
  ProviderWriteResult,
  ResourceDetail,
  ResourceLink,
  ResourceList,
  ResourceListQuery,
  ResourceView,
  RunList,
  RunListQuery,
  RunState,
  RunView,
} from './provider-types.js';
