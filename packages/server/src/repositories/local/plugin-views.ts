import {
  compareVersions,
  isPlugboardError,
  resolveVersion,
  type VersionCandidate,
} from '@plugboard/core';
import type { PluginRecord, VersionRecord } from '@plugboard/store';
import type {
  PluginDetail,
  PluginSummary,
  RepositoryRef,
  VersionView,
} from '../../catalog/plugin-view.js';

/** A plugin record as any repository holds it (MANAGED records belong to no domain). */
export type PluginFields = Omit<PluginRecord, 'domainId'>;

/** What the views of one plugin are computed from: its record, versions and dist-tags. */
export interface PluginFacts {
  readonly record: PluginFields;
  /** Highest SemVer first. */
  readonly versions: readonly VersionView[];
  readonly distTags: Readonly<Record<string, string>>;
}

/** The API view of a published version. */
export function toVersionView(record: VersionRecord): VersionView {
  return {
    version: record.version,
    published: record.publishedAt,
    yanked: record.yankedAt !== undefined,
    yank_reason: record.yankReason,
    deprecated: record.deprecated,
    digest: record.artifact.digest,
    size: record.artifact.size,
    signatures: record.signatures.map((s) => ({ key_id: s.keyId, signature: s.signature })),
  };
}

/** A version known only from metadata (a manifest's `version`, an image tag): no artifact. */
export function metadataVersionView(version: string, published?: string): VersionView {
  return {
    version,
    published,
    yanked: false,
    yank_reason: undefined,
    deprecated: undefined,
    digest: undefined,
    size: undefined,
    signatures: [],
  };
}

/** The shape core's `resolveVersion` ranks. */
export function versionCandidate(view: VersionView): VersionCandidate & { view: VersionView } {
  return {
    version: view.version,
    yanked: view.yanked ? (view.yank_reason ?? true) : undefined,
    deprecated: view.deprecated,
    published: view.published,
    view,
  };
}

/** Sorts versions highest SemVer first (the order the store and the API use). */
export function sortNewestFirst(versions: readonly VersionView[]): VersionView[] {
  return [...versions].sort((a, b) => compareVersions(b.version, a.version));
}

/**
 * What `latest` resolves to by core's rules (the `latest` dist-tag unless it is dangling or
 * yanked, else the highest non-yanked release), or undefined when nothing qualifies.
 */
export function latestVersionOf(
  versions: readonly VersionView[],
  distTags: Readonly<Record<string, string>>,
): VersionView | undefined {
  if (versions.length === 0) return undefined;
  try {
    return resolveVersion('latest', versions.map(versionCandidate), { distTags }).candidate.view;
  } catch (error) {
    if (isPlugboardError(error, 'VERSION_NOT_FOUND')) return undefined;
    throw error;
  }
}

/** The list view of a plugin. */
export function toPluginSummary(facts: PluginFacts, repository: RepositoryRef): PluginSummary {
  const { record } = facts;
  const latest = latestVersionOf(facts.versions, facts.distTags);
  return {
    name: record.name,
    display_name: record.displayName,
    description: record.description,
    type: record.type,
    providers: record.providers,
    labels: record.labels,
    capabilities: record.capabilities,
    tags: record.tags,
    icon: record.icon,
    enabled: record.enabled,
    state: record.enabled ? 'enabled' : 'disabled',
    repository_type: repository.type,
    repository,
    latest_version: latest?.version,
    deprecated: latest?.deprecated !== undefined && latest.deprecated !== '',
    signed: (latest?.signatures.length ?? 0) > 0,
    image:
      record.image === undefined
        ? undefined
        : { image: record.image.image, registry_type: record.image.registryType },
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}

/** The detail view of a plugin: the summary plus every version, dist-tags and the manifest. */
export function toPluginDetail(facts: PluginFacts, repository: RepositoryRef): PluginDetail {
  return {
    ...toPluginSummary(facts, repository),
    versions: facts.versions,
    dist_tags: facts.distTags,
    manifest: facts.record.manifest,
  };
}
