import type { Selectable } from 'kysely';
import type { JsonObject } from '../metadata/plugin-record.js';
import { isRunState, type CollectionRunRecord } from '../providers/collection-run-record.js';
import type { ProviderRecord } from '../providers/provider-record.js';
import type {
  ResourceDriftRecord,
  ResourceLink,
  ResourceRecord,
} from '../providers/resource-record.js';
import type {
  CollectionRunsTable,
  ProvidersTable,
  ResourceDriftTable,
  ResourcesTable,
} from './provider-tables.js';

/** Row of `providers` → record. */
export function toProviderRecord(row: Selectable<ProvidersTable>): ProviderRecord {
  return {
    id: row.id,
    domainId: row.domain_id,
    name: row.name,
    infrastructure: row.infrastructure ?? undefined,
    vendor: row.vendor,
    providerType: row.provider_type,
    endpoint: row.endpoint ?? undefined,
    organization: row.organization ?? undefined,
    config: JSON.parse(row.config_json) as JsonObject,
    secretKeys: JSON.parse(row.secret_keys_json) as string[],
    secretsCiphertext: row.secrets_ciphertext ?? undefined,
    enabled: Number(row.enabled) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Row of `collection_runs` → record. */
export function toRunRecord(row: Selectable<CollectionRunsTable>): CollectionRunRecord {
  const state = isRunState(row.state) ? row.state : 'failed';
  return {
    id: row.id,
    domainId: row.domain_id,
    providerId: row.provider_id,
    state,
    pluginKey: row.plugin_key,
    pluginVersion: row.plugin_version ?? undefined,
    resourceTypes:
      row.resource_types_json === null
        ? undefined
        : (JSON.parse(row.resource_types_json) as string[]),
    requestedBy: row.requested_by ?? undefined,
    counts: {
      found: Number(row.found),
      created: Number(row.created),
      updated: Number(row.updated),
      unchanged: Number(row.unchanged),
      removed: Number(row.removed),
      invalid: Number(row.invalid),
    },
    error:
      row.error_code === null
        ? undefined
        : { code: row.error_code, message: row.error_message ?? '' },
    cancelRequested: Number(row.cancel_requested) === 1,
    workerId: row.worker_id ?? undefined,
    createdAt: row.created_at,
    startedAt: row.started_at ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    heartbeatAt: row.heartbeat_at ?? undefined,
  };
}

/** Row of `resources` → record. */
export function toResourceRecord(row: Selectable<ResourcesTable>): ResourceRecord {
  const links = JSON.parse(row.relationships_json) as { type: string; target_ems_ref: string }[];
  return {
    id: row.id,
    domainId: row.domain_id,
    providerId: row.provider_id,
    emsRef: row.ems_ref,
    resourceType: row.resource_type,
    name: row.name,
    state: row.state ?? undefined,
    properties: JSON.parse(row.properties_json) as JsonObject,
    relationships: links.map((link): ResourceLink => ({
      type: link.type,
      targetEmsRef: link.target_ems_ref,
    })),
    parentEmsRef: row.parent_ems_ref ?? undefined,
    tags: JSON.parse(row.tags_json) as Record<string, string>,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    lastSeenRunId: row.last_seen_run_id,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at ?? undefined,
  };
}

/** Row of `resource_drift` → record. */
export function toDriftRecord(row: Selectable<ResourceDriftTable>): ResourceDriftRecord {
  return {
    resourceId: row.resource_id,
    runId: row.run_id,
    field: row.field,
    oldValue: row.old_value_json === null ? undefined : JSON.parse(row.old_value_json),
    newValue: row.new_value_json === null ? undefined : JSON.parse(row.new_value_json),
    changedAt: row.changed_at,
  };
}
