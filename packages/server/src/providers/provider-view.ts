import type {
  CollectionRunRecord,
  ProviderRecord,
  ResourceDriftRecord,
  ResourceRecord,
} from '@plugboard/store';
import { maskedConnectionConfig } from './connection-config.js';
import type { InstalledProviderPlugin } from './installed-provider-plugin.js';

/** A provider as the API shows it (secrets masked). */
export interface ProviderView {
  readonly id: string;
  readonly name: string;
  readonly infrastructure: string | null;
  readonly vendor: string;
  readonly provider_type: string;
  readonly plugin_key: string;
  readonly endpoint: string | null;
  readonly organization: unknown;
  readonly connection_config: Record<string, unknown>;
  readonly secret_parameters: readonly string[];
  readonly enabled: boolean;
  readonly plugin: {
    readonly installed: boolean;
    readonly name?: string;
    readonly version?: string;
  };
  readonly created_at: string;
  readonly updated_at: string;
}

/** The API shape of a provider; `plugin` is the installed plugin of its key, if any. */
export function providerView(
  record: ProviderRecord,
  plugin: InstalledProviderPlugin | undefined,
): ProviderView {
  return {
    id: record.id,
    name: record.name,
    infrastructure: record.infrastructure ?? null,
    vendor: record.vendor,
    provider_type: record.providerType,
    plugin_key: `${record.vendor}:${record.providerType}`,
    endpoint: record.endpoint ?? null,
    organization:
      record.organization === undefined ? null : (JSON.parse(record.organization) as unknown),
    connection_config: maskedConnectionConfig(record.config, record.secretKeys),
    secret_parameters: record.secretKeys,
    enabled: record.enabled,
    plugin:
      plugin === undefined
        ? { installed: false }
        : {
            installed: true,
            name: plugin.name,
            ...(plugin.version === undefined ? {} : { version: plugin.version }),
          },
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/** A collection run as the API shows it. */
export function runView(run: CollectionRunRecord): Record<string, unknown> {
  const duration =
    run.startedAt === undefined || run.finishedAt === undefined
      ? null
      : Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  return {
    id: run.id,
    provider_id: run.providerId,
    state: run.state,
    plugin_key: run.pluginKey,
    plugin_version: run.pluginVersion ?? null,
    resource_types: run.resourceTypes ?? null,
    ...run.counts,
    error: run.error ?? null,
    cancel_requested: run.cancelRequested,
    requested_by: run.requestedBy ?? null,
    created_at: run.createdAt,
    started_at: run.startedAt ?? null,
    finished_at: run.finishedAt ?? null,
    duration_ms: duration,
  };
}

/** A resource as the API shows it. */
export function resourceView(resource: ResourceRecord): Record<string, unknown> {
  return {
    id: resource.id,
    provider_id: resource.providerId,
    ems_ref: resource.emsRef,
    resource_type: resource.resourceType,
    name: resource.name,
    state: resource.state ?? null,
    properties: resource.properties,
    relationships: resource.relationships.map((link) => ({
      type: link.type,
      target_ems_ref: link.targetEmsRef,
    })),
    parent_ems_ref: resource.parentEmsRef ?? null,
    tags: resource.tags,
    first_seen_at: resource.firstSeenAt,
    last_seen_at: resource.lastSeenAt,
    last_seen_run_id: resource.lastSeenRunId,
    updated_at: resource.updatedAt,
    deleted: resource.deletedAt !== undefined,
    deleted_at: resource.deletedAt ?? null,
  };
}

/** One drift entry as the API shows it. */
export function driftView(drift: ResourceDriftRecord): Record<string, unknown> {
  return {
    run_id: drift.runId,
    field: drift.field,
    old_value: drift.oldValue ?? null,
    new_value: drift.newValue ?? null,
    changed_at: drift.changedAt,
  };
}

/** A provider plugin as the API shows it. */
export function pluginView(
  plugin: InstalledProviderPlugin,
  instances: number,
): Record<string, unknown> {
  return {
    key: plugin.key,
    vendor: plugin.vendor,
    provider_type: plugin.providerType,
    name: plugin.name,
    version: plugin.version ?? null,
    description: plugin.description ?? null,
    resource_types: plugin.resourceTypes,
    instances,
    installed_at: plugin.installedAt,
  };
}

/** A provider plugin in detail: dependencies, connection parameters, entrypoint. */
export function pluginDetailView(
  plugin: InstalledProviderPlugin,
  instances: number,
): Record<string, unknown> {
  const metadata = plugin.manifest.metadata ?? {};
  return {
    ...pluginView(plugin, instances),
    display_name: plugin.manifest.display_name ?? null,
    connection_parameters: plugin.connectionParameters,
    dependencies: {
      plugins: plugin.manifest.requirements?.dependencies ?? [],
      packages: metadata['dependencies'] ?? null,
    },
    requirements: plugin.manifest.requirements ?? null,
    runtime: plugin.manifest.runtime ?? null,
    entrypoint: plugin.entrypoint ?? null,
    endpoints: plugin.capability.endpoints ?? [],
    warnings: plugin.warnings,
  };
}
