import { DEFAULT_PLUGIN_PAGE_LIMIT } from '@plugboard/store';
import { comparePlugins } from '../../catalog/merge-pages.js';
import type { SourcePage, SourceQuery } from '../../catalog/plugin-source.js';
import type { PluginSummary } from '../../catalog/plugin-view.js';

/**
 * True when `plugin` passes every filter of `query`, with the store's semantics: `q` is an
 * ASCII-case-insensitive substring of the name, display name, description or a label; `provider`,
 * `type`, `capability` and `label` match exactly; `names` keeps only the names listed.
 */
export function summaryMatches(plugin: PluginSummary, query: SourceQuery): boolean {
  if (query.names !== undefined && !query.names.includes(plugin.name)) return false;
  if (nonEmpty(query.q) !== undefined) {
    const needle = asciiLowerCase(query.q ?? '');
    const haystacks = [plugin.name, plugin.display_name, plugin.description, ...plugin.labels];
    const found = haystacks.some(
      (text) => text !== undefined && asciiLowerCase(text).includes(needle),
    );
    if (!found) return false;
  }
  const provider = nonEmpty(query.provider);
  if (provider !== undefined && !plugin.providers.includes(provider)) return false;
  const type = nonEmpty(query.type);
  if (type !== undefined && plugin.type !== type) return false;
  const capability = nonEmpty(query.capability);
  if (capability !== undefined && !plugin.capabilities.includes(capability)) return false;
  const label = nonEmpty(query.label);
  if (label !== undefined && !plugin.labels.includes(label)) return false;
  if (query.state !== undefined && plugin.state !== query.state) return false;
  return true;
}

/**
 * Filters, sorts (ties by name, like the store) and windows plugins held in memory. The window may
 * be any size: the catalog asks for `offset + limit` rows when it merges sources.
 */
export function pageOfSummaries(plugins: readonly PluginSummary[], query: SourceQuery): SourcePage {
  const matching = plugins
    .filter((plugin) => summaryMatches(plugin, query))
    .sort(comparePlugins(query.sort ?? 'name', query.order ?? 'asc'));
  const limit = query.limit ?? DEFAULT_PLUGIN_PAGE_LIMIT;
  const offset = query.offset ?? ((query.page ?? 1) - 1) * limit;
  return { plugins: matching.slice(offset, offset + limit), total: matching.length };
}

// The store lowers only ASCII letters (SQLite's lower(), PostgreSQL under the "C" collation).
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
