import { PlugboardError } from '@plugboard/core';
import {
  DEFAULT_PLUGIN_PAGE_LIMIT,
  MAX_PLUGIN_PAGE_LIMIT,
  type PluginQuery,
} from '@plugboard/store';
import { mergePages, type RankedPage } from './merge-pages.js';
import type { CatalogScope, PluginSource, SourcePage } from './plugin-source.js';
import type { PluginDetail, PluginSummary, RepositoryType } from './plugin-view.js';

/** Deepest row a merged list reaches: each source reads `offset + limit` rows to merge them. */
export const MAX_MERGED_LIST_DEPTH = 10_000;

/** A list query across repositories: the store's filters plus which repository types to include. */
export interface CatalogQuery extends PluginQuery {
  readonly repository?: RepositoryType | undefined;
}

/** One page of the merged catalog. */
export interface CatalogPage {
  readonly plugins: PluginSummary[];
  readonly total: number;
  /** Sources that could not answer (a REMOTE that is down) and other caveats; the list still answers. */
  readonly warnings: string[];
}

/** Gives the sources visible to a scope, already in priority order or not (the catalog sorts). */
export type SourcesForScope = (scope: CatalogScope) => Promise<readonly PluginSource[]>;

/**
 * The merged view over MANAGED, LOCAL and REMOTE repositories (seed 000): one global sort, correct
 * paging, a name resolved by repository priority.
 */
export class Catalog {
  constructor(private readonly sourcesFor: SourcesForScope) {}

  /** One page of plugins across every visible repository. */
  async list(scope: CatalogScope, query: CatalogQuery = {}): Promise<CatalogPage> {
    const limit = query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
    const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
    if (limit < 1 || limit > MAX_PLUGIN_PAGE_LIMIT) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `limit must be between 1 and ${MAX_PLUGIN_PAGE_LIMIT}`,
      );
    }
    const sources = (await this.sources(scope)).filter(
      (s) => query.repository === undefined || s.ref.type === query.repository,
    );
    const warnings: string[] = [];
    const [only] = sources;
    if (sources.length === 1 && only !== undefined) {
      // One source pages itself: no window to merge, any depth.
      const page = await this.listSource(
        only,
        scope,
        { ...query, page: undefined, offset, limit },
        warnings,
      );
      return { plugins: [...(page?.plugins ?? [])], total: page?.total ?? 0, warnings };
    }
    if (offset + limit > MAX_MERGED_LIST_DEPTH) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `page too deep for a list across repositories: offset + limit must be at most ${MAX_MERGED_LIST_DEPTH}; narrow it with filters or ?repository=`,
      );
    }
    const sort = query.sort ?? 'name';
    const order = query.order ?? 'asc';
    // Sources accept windows larger than one store page (they read it in chunks).
    const windowQuery: PluginQuery = {
      ...query,
      page: undefined,
      offset: 0,
      limit: offset + limit,
    };
    const pages = await Promise.all(
      sources.map(async (source): Promise<RankedPage | undefined> => {
        const page = await this.listSource(source, scope, windowQuery, warnings);
        return page === undefined
          ? undefined
          : { priority: source.priority, plugins: page.plugins, total: page.total };
      }),
    );
    const answered = pages.filter((page): page is RankedPage => page !== undefined);
    const merged = mergePages(answered, sort, order);
    const total = answered.reduce((sum, page) => sum + page.total, 0) - merged.duplicates;
    const fetchedAll = answered.every((page) => page.plugins.length >= page.total);
    if (!fetchedAll && answered.length > 1 && merged.duplicates > 0) {
      // Duplicates beyond the fetched windows cannot be seen without reading every source whole.
      warnings.push('total may count a plugin found in several repositories more than once');
    }
    return {
      plugins: merged.plugins.slice(offset, offset + limit),
      total: Math.max(total, 0),
      warnings,
    };
  }

  /** The plugin as the highest-priority repository that has it sees it; PLUGIN_NOT_FOUND otherwise. */
  async get(
    scope: CatalogScope,
    name: string,
    repository?: RepositoryType,
  ): Promise<{ detail: PluginDetail; source: PluginSource }> {
    for (const source of await this.sources(scope)) {
      if (repository !== undefined && source.ref.type !== repository) continue;
      const detail = await source.get(scope, name);
      if (detail !== undefined) return { detail, source };
    }
    throw new PlugboardError('PLUGIN_NOT_FOUND', `no plugin named "${name}"`, {
      details: { name },
    });
  }

  private async sources(scope: CatalogScope): Promise<PluginSource[]> {
    return [...(await this.sourcesFor(scope))].sort((a, b) => a.priority - b.priority);
  }

  private async listSource(
    source: PluginSource,
    scope: CatalogScope,
    query: PluginQuery,
    warnings: string[],
  ): Promise<SourcePage | undefined> {
    try {
      const page = await source.list(scope, query);
      warnings.push(...(page.warnings ?? []));
      return page;
    } catch (error) {
      // A repository that fails removes only its own part of the list (seed 000's merged list).
      const reason = error instanceof Error ? error.message : String(error);
      warnings.push(`${source.ref.type} repository "${source.ref.name}" left out: ${reason}`);
      return undefined;
    }
  }
}
