import type { ColumnType } from 'kysely';

/**
 * The tables as Kysely sees them. Shapes are identical on SQLite and PostgreSQL: times are
 * RFC 3339 UTC text (fixed width, so they sort as text), booleans are 0/1 integers, JSON is text.
 */
export interface Database {
  domains: DomainsTable;
  api_tokens: ApiTokensTable;
  plugins: PluginsTable;
  plugin_facets: PluginFacetsTable;
  plugin_versions: PluginVersionsTable;
  plugin_dist_tags: PluginDistTagsTable;
  remote_repositories: RemoteRepositoriesTable;
  registry_settings: RegistrySettingsTable;
}

/** PostgreSQL returns `bigint` columns and counts as strings, SQLite as numbers. */
export type BigIntColumn = ColumnType<number | string, number, number>;

/** Row of `domains`. */
export interface DomainsTable {
  id: string;
  name: string;
  created_at: string;
}

/** Row of `api_tokens`. */
export interface ApiTokensTable {
  id: string;
  domain_id: string;
  name: string;
  role: string;
  prefix: string;
  token_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

/** Row of `plugins` (LOCAL plugin metadata). */
export interface PluginsTable {
  domain_id: string;
  name: string;
  display_name: string | null;
  description: string | null;
  type: string | null;
  providers_json: string;
  labels_json: string;
  capabilities_json: string;
  tags_json: string;
  icon: string | null;
  manifest_json: string;
  enabled: number;
  image: string | null;
  registry_type: string | null;
  registry_config_json: string | null;
  created_at: string;
  updated_at: string;
}

/** Kinds of `plugin_facets` rows. */
export type FacetKind = 'provider' | 'label' | 'capability';

/**
 * One filterable value of a plugin (a provider, a label, a capability type): the array columns of
 * `plugins` again, one row per value, so filters are plain indexed SQL on both backends.
 */
export interface PluginFacetsTable {
  domain_id: string;
  plugin_name: string;
  kind: FacetKind;
  value: string;
}

/** Row of `plugin_versions`. */
export interface PluginVersionsTable {
  domain_id: string;
  plugin_name: string;
  version: string;
  manifest_json: string;
  artifact_digest: string;
  artifact_size: BigIntColumn;
  media_type: string;
  signatures_json: string;
  published_at: string;
  yanked_at: string | null;
  yank_reason: string | null;
  deprecation_message: string | null;
}

/** Row of `plugin_dist_tags`. */
export interface PluginDistTagsTable {
  domain_id: string;
  plugin_name: string;
  tag: string;
  version: string;
}

/** Row of `remote_repositories`. */
export interface RemoteRepositoriesTable {
  id: string;
  domain_id: string;
  name: string;
  endpoint: string;
  /** Clear token written by servers before migration 0002; sealed and cleared at start. */
  token: string | null;
  /** The token encrypted by the server (opaque to the store). */
  token_sealed: string | null;
  priority: number;
  timeout_ms: number;
  created_at: string;
  updated_at: string;
}

/** Row of `registry_settings`: one value per key (e.g. `registry_id`). */
export interface RegistrySettingsTable {
  key: string;
  value: string;
}
