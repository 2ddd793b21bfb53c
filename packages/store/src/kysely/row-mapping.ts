import type { Selectable } from 'kysely';
import type { ApiToken, TokenRole } from '../metadata/api-token-record.js';
import type { Domain } from '../metadata/domain-record.js';
import type { JsonObject, PluginImage, PluginRecord } from '../metadata/plugin-record.js';
import type { RemoteRepositoryConnection } from '../metadata/repository-record.js';
import type { VersionRecord, VersionSignature } from '../metadata/version-record.js';
import type {
  ApiTokensTable,
  DomainsTable,
  PluginVersionsTable,
  PluginsTable,
  RemoteRepositoriesTable,
} from './database-tables.js';

/** A `domains` row as a `Domain`. */
export function toDomain(row: Selectable<DomainsTable>): Domain {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}

/** An `api_tokens` row as an `ApiToken` (the hash stays in the database). */
export function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    domainId: row.domain_id,
    name: row.name,
    role: row.role as TokenRole,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at ?? undefined,
    revokedAt: row.revoked_at ?? undefined,
  };
}

/** A `plugins` row as a `PluginRecord`. */
export function toPluginRecord(row: Selectable<PluginsTable>): PluginRecord {
  let image: PluginImage | undefined;
  if (row.image !== null) {
    image = {
      image: row.image,
      registryType: row.registry_type ?? undefined,
      registryConfig:
        row.registry_config_json === null
          ? undefined
          : (JSON.parse(row.registry_config_json) as JsonObject),
    };
  }
  return {
    domainId: row.domain_id,
    name: row.name,
    displayName: row.display_name ?? undefined,
    description: row.description ?? undefined,
    type: row.type ?? undefined,
    providers: JSON.parse(row.providers_json) as string[],
    labels: JSON.parse(row.labels_json) as string[],
    capabilities: JSON.parse(row.capabilities_json) as string[],
    tags: JSON.parse(row.tags_json) as Record<string, string>,
    icon: row.icon ?? undefined,
    manifest: JSON.parse(row.manifest_json) as JsonObject,
    enabled: Number(row.enabled) !== 0,
    image,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A `plugin_versions` row as a `VersionRecord`. */
export function toVersionRecord(row: Selectable<PluginVersionsTable>): VersionRecord {
  return {
    domainId: row.domain_id,
    pluginName: row.plugin_name,
    version: row.version,
    manifest: JSON.parse(row.manifest_json) as JsonObject,
    artifact: {
      digest: row.artifact_digest,
      size: Number(row.artifact_size),
      mediaType: row.media_type,
    },
    signatures: JSON.parse(row.signatures_json) as VersionSignature[],
    publishedAt: row.published_at,
    yankedAt: row.yanked_at ?? undefined,
    yankReason: row.yank_reason ?? undefined,
    deprecated: row.deprecation_message ?? undefined,
  };
}

/** A `remote_repositories` row with its token. */
export function toRepositoryConnection(
  row: Selectable<RemoteRepositoriesTable>,
): RemoteRepositoryConnection {
  return {
    id: row.id,
    domainId: row.domain_id,
    name: row.name,
    endpoint: row.endpoint,
    priority: Number(row.priority),
    timeoutMs: Number(row.timeout_ms),
    hasToken: row.token !== null || row.token_sealed !== null,
    token: row.token ?? undefined,
    sealedToken: row.token_sealed ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
