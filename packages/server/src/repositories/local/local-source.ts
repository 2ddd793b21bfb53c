import {
  DEFAULT_PLUGIN_PAGE_LIMIT,
  MAX_PLUGIN_PAGE_LIMIT,
  type BlobStore,
  type MetadataStore,
  type PluginRecord,
} from '@plugboard/store';
import type {
  ArtifactStream,
  CatalogScope,
  PluginSource,
  SourcePage,
  SourceQuery,
} from '../../catalog/plugin-source.js';
import type { PluginDetail, PluginSummary, RepositoryRef } from '../../catalog/plugin-view.js';
import { gatherVersions } from './gather-versions.js';
import { PluginFactsCache, type CachedPluginFacts } from './plugin-facts-cache.js';
import type { PluginImageVersions } from './plugin-image-versions.js';
import { PluginPageCache } from './plugin-page-cache.js';
import { toPluginDetail, toPluginSummary } from './plugin-views.js';
import { pageOfSummaries } from './summary-filter.js';

/** The LOCAL repository as clients see it: one per server, scoped to the caller's domain. */
export const LOCAL_REPOSITORY: RepositoryRef = Object.freeze({
  type: 'LOCAL',
  id: 'local',
  name: 'local',
});

/** Priority of the LOCAL repository: it wins every name clash (seed 000). */
export const LOCAL_PRIORITY = 0;

/** Plugins looked up at once when a list is restricted to given names. */
const NAMED_LOOKUP_CONCURRENCY = 16;

/** A plugin detail with the caveats met while reading it (an image registry that is down). */
export type PluginDetailWithWarnings = PluginDetail & { readonly warnings?: readonly string[] };

/** Options of `LocalSource`. */
export interface LocalSourceOptions {
  readonly priority?: number;
  /** Versions of image plugins; without it an image plugin lists published versions only. */
  readonly imageVersions?: PluginImageVersions | undefined;
}

/**
 * The LOCAL repository (seed 000): the caller's domain's plugins in the metadata store, their
 * published versions and artifacts in the blob store. Anonymous callers see nothing here.
 */
export class LocalSource implements PluginSource {
  readonly ref = LOCAL_REPOSITORY;
  readonly priority: number;
  private readonly imageVersions: PluginImageVersions | undefined;
  private readonly facts: PluginFactsCache;
  private readonly pages: PluginPageCache;

  constructor(
    private readonly store: MetadataStore,
    private readonly blobs: BlobStore,
    options: LocalSourceOptions = {},
  ) {
    this.priority = options.priority ?? LOCAL_PRIORITY;
    this.imageVersions = options.imageVersions;
    this.facts = new PluginFactsCache(store);
    this.pages = new PluginPageCache(store);
  }

  /**
   * One window of the domain's plugins. Windows larger than the store's largest page are read in
   * chunks; list views carry published versions only (image tags are read for a detail).
   */
  async list(scope: CatalogScope, query: SourceQuery): Promise<SourcePage> {
    const domainId = scope.domainId;
    if (domainId === undefined) return { plugins: [], total: 0 };
    if (query.names !== undefined) return this.listNamed(domainId, query);
    return this.pages.page(domainId, query, () => this.readPage(domainId, query));
  }

  private async readPage(domainId: string, query: SourceQuery): Promise<SourcePage> {
    const limit = query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
    const start = query.offset ?? ((query.page ?? 1) - 1) * limit;
    const records: PluginRecord[] = [];
    let total = 0;
    for (let offset = start; offset < start + limit;) {
      const chunk = Math.min(MAX_PLUGIN_PAGE_LIMIT, start + limit - offset);
      const page = await this.store.listPlugins(domainId, {
        ...storeFilters(query),
        offset,
        limit: chunk,
      });
      records.push(...page.plugins);
      total = page.total;
      if (page.plugins.length < chunk) break;
      offset += chunk;
    }
    const plugins = await Promise.all(records.map((record) => this.summaryOf(record)));
    return { plugins, total };
  }

  async get(scope: CatalogScope, name: string): Promise<PluginDetailWithWarnings | undefined> {
    const domainId = scope.domainId;
    if (domainId === undefined) return undefined;
    const facts = await this.facts.get(domainId, name);
    if (facts === undefined) return undefined;
    if (facts.detail !== undefined) return facts.detail;
    const { record, published, distTags } = facts;
    const gathered = await gatherVersions(record, published, this.imageVersions);
    const detail = toPluginDetail({ record, versions: gathered.versions, distTags }, this.ref);
    // An image plugin's tags live in its registry and are read every time; the rest is cached.
    if (record.image === undefined) facts.detail = detail;
    return gathered.warnings.length === 0 ? detail : { ...detail, warnings: gathered.warnings };
  }

  /** The published manifest, or for a metadata-only version the plugin's manifest at it. */
  async manifest(
    scope: CatalogScope,
    name: string,
    version: string,
  ): Promise<Record<string, unknown> | undefined> {
    const domainId = scope.domainId;
    if (domainId === undefined) return undefined;
    const published = await this.store.getVersion(domainId, name, version);
    if (published !== undefined) return published.manifest;
    const detail = await this.get(scope, name);
    if (detail === undefined || !detail.versions.some((v) => v.version === version)) {
      return undefined;
    }
    return { ...detail.manifest, version };
  }

  async artifact(
    scope: CatalogScope,
    name: string,
    version: string,
  ): Promise<ArtifactStream | undefined> {
    const domainId = scope.domainId;
    if (domainId === undefined) return undefined;
    const published = await this.store.getVersion(domainId, name, version);
    if (published === undefined) return undefined;
    const blob = await this.blobs.get(published.artifact.digest);
    return {
      stream: blob.stream,
      digest: blob.digest,
      size: blob.size,
      mediaType: published.artifact.mediaType,
    };
  }

  private async summaryOf(record: PluginRecord): Promise<PluginSummary> {
    const facts: CachedPluginFacts = await this.facts.forRecord(record);
    if (facts.summary !== undefined) return facts.summary;
    const gathered = await gatherVersions(facts.record, facts.published, undefined);
    facts.summary = toPluginSummary(
      { record: facts.record, versions: gathered.versions, distTags: facts.distTags },
      this.ref,
    );
    return facts.summary;
  }

  /**
   * The `names` filter (the catalog counts plugins found in several sources with it): the named
   * plugins are read one by one and filtered in memory with the store's semantics. Filters and
   * sort need record fields only, so versions are read just for the rows returned.
   */
  private async listNamed(domainId: string, query: SourceQuery): Promise<SourcePage> {
    const names = [...new Set(query.names)];
    const records = new Map<string, PluginRecord>();
    const bare: PluginSummary[] = [];
    for (let start = 0; start < names.length; start += NAMED_LOOKUP_CONCURRENCY) {
      const chunk = names.slice(start, start + NAMED_LOOKUP_CONCURRENCY);
      for (const record of await Promise.all(
        chunk.map((name) => this.store.getPlugin(domainId, name)),
      )) {
        if (record === undefined) continue;
        records.set(record.name, record);
        bare.push(toPluginSummary({ record, versions: [], distTags: {} }, this.ref));
      }
    }
    const page = pageOfSummaries(bare, query);
    const plugins = await Promise.all(
      page.plugins.map(async (plugin) => {
        const record = records.get(plugin.name);
        return record === undefined ? plugin : this.summaryOf(record);
      }),
    );
    return { plugins, total: page.total };
  }
}

/** The query without what the store does not take (`names`, `page` once `offset` is known). */
function storeFilters(query: SourceQuery): SourceQuery {
  const { names: _names, page: _page, ...filters } = query;
  return filters;
}
