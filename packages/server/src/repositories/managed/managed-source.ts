import type {
  ArtifactStream,
  CatalogScope,
  PluginSource,
  SourcePage,
  SourceQuery,
} from '../../catalog/plugin-source.js';
import type { PluginDetail, PluginSummary, RepositoryRef } from '../../catalog/plugin-view.js';
import { gatherVersions } from '../local/gather-versions.js';
import type { PluginDetailWithWarnings } from '../local/local-source.js';
import type { PluginImageVersions } from '../local/plugin-image-versions.js';
import { toPluginDetail } from '../local/plugin-views.js';
import { RecentEntries } from '../../cache/recent-entries.js';
import { pageOfSummaries } from '../local/summary-filter.js';
import { EMPTY_MANAGED_CATALOG, type ManagedCatalog } from './managed-loader.js';

/** The MANAGED repository as clients see it. */
export const MANAGED_REPOSITORY: RepositoryRef = Object.freeze({
  type: 'MANAGED',
  id: 'managed',
  name: 'managed',
});

/** Priority of the MANAGED repository: after LOCAL, before every REMOTE (seed 000). */
export const MANAGED_PRIORITY = 100;

/** List pages remembered per catalog; past it the least recently read is dropped. */
const MAX_CACHED_PAGES = 500;

/** Options of `ManagedSource`. */
export interface ManagedSourceOptions {
  readonly priority?: number;
  /** Versions of image plugins, read for a detail; lists show the manifest's version only. */
  readonly imageVersions?: PluginImageVersions | undefined;
}

/**
 * The MANAGED repository (seed 000): plugins read from manifest files, the same for every tenant
 * and read-only. It serves whatever catalog it was last given; `ManagedRepository` loads them.
 */
export class ManagedSource implements PluginSource {
  readonly ref = MANAGED_REPOSITORY;
  readonly priority: number;
  private readonly imageVersions: PluginImageVersions | undefined;
  private catalog: ManagedCatalog = EMPTY_MANAGED_CATALOG;
  private summaries: readonly PluginSummary[] = [];
  /** Pages and details of the current catalog, so a repeated read builds nothing (and callers
   * can recognise an unchanged answer by identity). Emptied when the catalog is replaced. */
  private pages = new RecentEntries<SourcePage>(MAX_CACHED_PAGES);
  private details = new Map<string, PluginDetail>();

  constructor(options: ManagedSourceOptions = {}) {
    this.priority = options.priority ?? MANAGED_PRIORITY;
    this.imageVersions = options.imageVersions;
  }

  /** Number of plugins served. */
  get size(): number {
    return this.catalog.byName.size;
  }

  /** The catalog being served (for reloads, which keep last good entries). */
  get current(): ManagedCatalog {
    return this.catalog;
  }

  /** Serves `catalog` from now on; readers see the old one or the new one, never a mix. */
  replace(catalog: ManagedCatalog): void {
    this.catalog = catalog;
    this.summaries = [...catalog.byName.values()].map((entry) => entry.summary);
    this.pages = new RecentEntries(MAX_CACHED_PAGES);
    this.details = new Map();
  }

  async list(_scope: CatalogScope, query: SourceQuery): Promise<SourcePage> {
    const key = JSON.stringify(query, Object.keys(query).sort());
    let page = this.pages.recent(key);
    if (page === undefined) {
      page = pageOfSummaries(this.summaries, query);
      this.pages.set(key, page);
    }
    return page;
  }

  async get(_scope: CatalogScope, name: string): Promise<PluginDetailWithWarnings | undefined> {
    const cached = this.details.get(name);
    if (cached !== undefined) return cached;
    const catalog = this.catalog;
    const entry = catalog.byName.get(name);
    if (entry === undefined) return undefined;
    const gathered = await gatherVersions(entry.fields, entry.versions, this.imageVersions);
    const detail = toPluginDetail(
      { record: entry.fields, versions: gathered.versions, distTags: {} },
      this.ref,
    );
    // An image plugin's versions come from its registry's tags, read (and cached) each time.
    if (entry.fields.image === undefined && catalog === this.catalog)
      this.details.set(name, detail);
    return gathered.warnings.length === 0 ? detail : { ...detail, warnings: gathered.warnings };
  }

  /** The plugin's manifest at one of its versions (they share one manifest file). */
  async manifest(
    scope: CatalogScope,
    name: string,
    version: string,
  ): Promise<Record<string, unknown> | undefined> {
    const detail = await this.get(scope, name);
    if (detail === undefined || !detail.versions.some((view) => view.version === version)) {
      return undefined;
    }
    return { ...detail.manifest, version };
  }

  /** MANAGED plugins are metadata only: no artifacts. */
  async artifact(): Promise<ArtifactStream | undefined> {
    return undefined;
  }
}
