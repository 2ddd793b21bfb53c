import { PlugboardError } from '@plugboard/core';
import { DEFAULT_PLUGIN_PAGE_LIMIT, MAX_PLUGIN_PAGE_LIMIT } from '@plugboard/store';
import { MergedPageCache } from './merged-page-cache.js';
import { mergePages, type RankedPage } from './merge-pages.js';
import type { CatalogScope, PluginSource, SourcePage, SourceQuery } from './plugin-source.js';
import type { PluginDetail, PluginSummary, RepositoryType } from './plugin-view.js';

/** Deepest row a merged list reaches: each source reads `offset + limit` rows to merge them. */
export const MAX_MERGED_LIST_DEPTH = 10_000;

/** Names sent in one `names`-filtered query when counting plugins found in several sources. */
const NAMES_PER_QUERY = 500;

/** A list query across repositories: the sources' filters plus which repository type to include. */
export interface CatalogQuery extends SourceQuery {
  readonly repository?: RepositoryType | undefined;
}

/** One page of the merged catalog. */
export interface CatalogPage {
  readonly plugins: PluginSummary[];
  readonly total: number;
  /** Sources that could not answer (a REMOTE that is down) and other caveats; the list still answers. */
  readonly warnings: string[];
}

/** Gives the sources visible to a scope, in any order (the catalog sorts them by priority). */
export type SourcesForScope = (scope: CatalogScope) => Promise<readonly PluginSource[]>;

interface AnsweredSource {
  readonly source: PluginSource;
  readonly page: RankedPage;
}

/**
 * The merged view over MANAGED, LOCAL and REMOTE repositories (seed 000): one global sort, correct
 * paging and total, a name resolved by repository priority.
 */
export class Catalog {
  private readonly merged = new MergedPageCache<CatalogPage>();

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
      (source) => query.repository === undefined || source.ref.type === query.repository,
    );
    const single = sources.length === 1;
    if (!single && offset + limit > MAX_MERGED_LIST_DEPTH) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `page too deep for a list across repositories: offset + limit must be at most ${MAX_MERGED_LIST_DEPTH}; narrow it with filters or ?repository=`,
      );
    }
    // One source pages itself (nothing to merge, any depth); several each return their first
    // offset + limit rows (reading several store pages if needed), merged here.
    const window: SourceQuery = single
      ? { ...query, page: undefined, offset, limit }
      : { ...query, page: undefined, offset: 0, limit: offset + limit };
    const warnings: string[] = [];
    const pages = await Promise.all(
      sources.map((source) => this.listSource(source, scope, window, warnings)),
    );
    // The path matters: a request that passed this server already sees no REMOTE sources.
    const key = `${scope.domainId ?? ''}\u0000${scope.via?.join(',') ?? ''}\u0000${JSON.stringify(query, Object.keys(query).sort())}`;
    const remembered = this.merged.find(key, pages);
    if (remembered !== undefined) return remembered;
    const page = await this.merge(scope, query, sources, pages, { offset, limit, warnings });
    if (warnings.length === 0) this.merged.remember(key, pages, page);
    return page;
  }

  private async merge(
    scope: CatalogScope,
    query: CatalogQuery,
    sources: readonly PluginSource[],
    pages: readonly (SourcePage | undefined)[],
    { offset, limit, warnings }: { offset: number; limit: number; warnings: string[] },
  ): Promise<CatalogPage> {
    const [only] = pages;
    if (sources.length === 1) {
      return { plugins: [...(only?.plugins ?? [])], total: only?.total ?? 0, warnings };
    }
    const answered: AnsweredSource[] = [];
    pages.forEach((page, index) => {
      const source = sources[index];
      if (page !== undefined && source !== undefined) {
        answered.push({
          source,
          page: { priority: source.priority, plugins: page.plugins, total: page.total },
        });
      }
    });
    const merged = mergePages(
      answered.map((entry) => entry.page),
      query.sort ?? 'name',
      query.order ?? 'asc',
    );
    const total = await this.distinctTotal(scope, query, answered, merged.duplicates, warnings);
    return { plugins: merged.plugins.slice(offset, offset + limit), total, warnings };
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
    query: SourceQuery,
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

  /**
   * Counts distinct names across sources. When every window held its whole source, the merge saw
   * every duplicate. Otherwise the names of every source but the largest are read whole (they are
   * the small ones: MANAGED folders, a few REMOTEs) and the largest is asked how many of those it
   * also has, through the `names` filter — a few small queries instead of reading it whole.
   */
  private async distinctTotal(
    scope: CatalogScope,
    query: CatalogQuery,
    answered: readonly AnsweredSource[],
    windowDuplicates: number,
    warnings: string[],
  ): Promise<number> {
    const sum = answered.reduce((total, entry) => total + entry.page.total, 0);
    const complete = (entry: AnsweredSource): boolean =>
      entry.page.plugins.length >= entry.page.total;
    if (answered.every(complete)) return sum - windowDuplicates;
    const [largest, ...smaller] = [...answered].sort((a, b) => b.page.total - a.page.total);
    if (largest === undefined) return 0;
    const smallNames = new Set<string>();
    for (const entry of smaller) {
      const names = complete(entry)
        ? entry.page.plugins.map((plugin) => plugin.name)
        : await this.allNames(entry, scope, query);
      if (names === undefined) {
        warnings.push(
          `total is approximate: ${entry.source.ref.type} repository "${entry.source.ref.name}" is too large to de-duplicate`,
        );
        return sum - windowDuplicates;
      }
      for (const name of names) smallNames.add(name);
    }
    const names = [...smallNames];
    let shared = 0;
    for (let start = 0; start < names.length; start += NAMES_PER_QUERY) {
      const chunk = names.slice(start, start + NAMES_PER_QUERY);
      const page = await largest.source.list(scope, {
        ...query,
        page: undefined,
        names: chunk,
        offset: 0,
        limit: 1,
      });
      shared += page.total;
    }
    return largest.page.total + smallNames.size - shared;
  }

  private async allNames(
    entry: AnsweredSource,
    scope: CatalogScope,
    query: CatalogQuery,
  ): Promise<string[] | undefined> {
    if (entry.page.total > MAX_MERGED_LIST_DEPTH) return undefined;
    const page = await entry.source.list(scope, {
      ...query,
      page: undefined,
      offset: 0,
      limit: entry.page.total,
    });
    return page.plugins.map((plugin) => plugin.name);
  }
}
