/**
 * The provider tables as Kysely sees them (`ProviderStore` only). Same conventions as
 * `database-tables.ts`: times are RFC 3339 UTC text, booleans 0/1 integers, JSON is text.
 */
export interface ProviderTables {
  providers: ProvidersTable;
  collection_runs: CollectionRunsTable;
  resources: ResourcesTable;
  resource_drift: ResourceDriftTable;
}

/** Row of `providers`. */
export interface ProvidersTable {
  id: string;
  domain_id: string;
  name: string;
  infrastructure: string | null;
  vendor: string;
  provider_type: string;
  endpoint: string | null;
  organization: string | null;
  config_json: string;
  secret_keys_json: string;
  secrets_ciphertext: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** Row of `collection_runs`. */
export interface CollectionRunsTable {
  id: string;
  domain_id: string;
  provider_id: string;
  state: string;
  plugin_key: string;
  plugin_version: string | null;
  resource_types_json: string | null;
  requested_by: string | null;
  found: number;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  invalid: number;
  error_code: string | null;
  error_message: string | null;
  cancel_requested: number;
  worker_id: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  heartbeat_at: string | null;
}

/** Row of `resources`. */
export interface ResourcesTable {
  id: string;
  domain_id: string;
  provider_id: string;
  ems_ref: string;
  resource_type: string;
  name: string;
  state: string | null;
  properties_json: string;
  relationships_json: string;
  parent_ems_ref: string | null;
  tags_json: string;
  /** sha1 of the tracked content: equal fingerprints mean nothing tracked changed. */
  fingerprint: string;
  first_seen_at: string;
  last_seen_at: string;
  last_seen_run_id: string;
  updated_at: string;
  deleted_at: string | null;
}

/** Row of `resource_drift`: one tracked field one run changed. */
export interface ResourceDriftTable {
  resource_id: string;
  run_id: string;
  field: string;
  old_value_json: string | null;
  new_value_json: string | null;
  changed_at: string;
}
