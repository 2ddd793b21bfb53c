import type { PluginSortField, SortOrder } from '@plugboard/store';
import type { PluginSummary } from './plugin-view.js';

/** One source's sorted window, with the source's priority (lower wins name clashes). */
export interface RankedPage {
  readonly priority: number;
  readonly plugins: readonly PluginSummary[];
  readonly total: number;
}

/** The merged, de-duplicated, globally sorted list and how many duplicates were dropped. */
export interface MergedList {
  readonly plugins: PluginSummary[];
  readonly duplicates: number;
}

/** Orders plugins as a store would: by the sort field, ties by name ascending. */
export function comparePlugins(
  field: PluginSortField,
  order: SortOrder,
): (a: PluginSummary, b: PluginSummary) => number {
  const direction = order === 'desc' ? -1 : 1;
  return (a, b) => {
    const primary = compareField(a, b, field) * direction;
    return primary !== 0 ? primary : compareText(a.name, b.name);
  };
}

/**
 * Merges sorted windows from several sources into one sorted list in which each name appears once,
 * taken from the source with the lowest priority number (seed 000: LOCAL > MANAGED > REMOTE).
 */
export function mergePages(
  pages: readonly RankedPage[],
  field: PluginSortField,
  order: SortOrder,
): MergedList {
  const winners = new Map<string, { priority: number; plugin: PluginSummary }>();
  let duplicates = 0;
  for (const page of pages) {
    for (const plugin of page.plugins) {
      const current = winners.get(plugin.name);
      if (current === undefined) {
        winners.set(plugin.name, { priority: page.priority, plugin });
        continue;
      }
      duplicates += 1;
      if (page.priority < current.priority)
        winners.set(plugin.name, { priority: page.priority, plugin });
    }
  }
  const plugins = [...winners.values()]
    .map((winner) => winner.plugin)
    .sort(comparePlugins(field, order));
  return { plugins, duplicates };
}

function compareField(a: PluginSummary, b: PluginSummary, field: PluginSortField): number {
  switch (field) {
    case 'name':
      return compareText(a.name, b.name);
    case 'created_at':
      return compareText(a.created_at ?? '', b.created_at ?? '');
    case 'updated_at':
      return compareText(a.updated_at ?? '', b.updated_at ?? '');
  }
}

// Code-unit order, the same as SQLite's BINARY collation and PostgreSQL's "C" collation.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
