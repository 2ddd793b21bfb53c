import type {
  ArtifactStream,
  CatalogScope,
  PluginSource,
  SourcePage,
  SourceQuery,
} from '../../catalog/plugin-source.js';
import type { PluginSummary, RepositoryRef } from '../../catalog/plugin-view.js';
import { gatherVersions } from '../local/gather-versions.js';
import type { PluginDetailWithWarnings } from '../local/local-source.js';
import type { PluginImageVersions } from '../local/plugin-image-versions.js';
import { toPluginDetail } from '../local/plugin-views.js';
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
  }

  async list(_scope: CatalogScope, query: SourceQuery): Promise<SourcePage> {
    return pageOfSummaries(this.summaries, query);
  }

  async get(_scope: CatalogScope, name: string): Promise<PluginDetailWithWarnings | undefined> {
    const entry = this.catalog.byName.get(name);
    if (entry === undefined) return undefined;
    const gathered = await gatherVersions(entry.fields, entry.versions, this.imageVersions);
    const detail = toPluginDetail(
      { record: entry.fields, versions: gathered.versions, distTags: {} },
      this.ref,
    );
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
