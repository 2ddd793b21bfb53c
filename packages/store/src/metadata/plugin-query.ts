import type { PluginRecord } from './plugin-record.js';

/** Fields a plugin list can be sorted by. */
export type PluginSortField = 'name' | 'updated_at' | 'created_at';

/** Every plugin sort field. */
export const PLUGIN_SORT_FIELDS: readonly PluginSortField[] = Object.freeze([
  'name',
  'updated_at',
  'created_at',
]);

/** Sort direction. */
export type SortOrder = 'asc' | 'desc';

/** Page size used when a query gives none. */
export const DEFAULT_PLUGIN_PAGE_LIMIT = 50;

/** Largest page a single list call returns. */
export const MAX_PLUGIN_PAGE_LIMIT = 1000;

/** Filters, order and page of `listPlugins`. Every filter narrows the result (logical AND). */
export interface PluginQuery {
  /** Case-insensitive (ASCII) substring of the name, display name, description or a label. */
  readonly q?: string | undefined;
  /** Exact provider, e.g. `aws`. */
  readonly provider?: string | undefined;
  /** Exact plugin type, e.g. `inventory.Collector`. */
  readonly type?: string | undefined;
  /** Exact capability type, e.g. `provider`. */
  readonly capability?: string | undefined;
  /** Exact label. */
  readonly label?: string | undefined;
  readonly state?: 'enabled' | 'disabled' | undefined;
  /** Defaults to `name`; ties are always broken by name ascending, so paging is stable. */
  readonly sort?: PluginSortField | undefined;
  /** Defaults to `asc`. */
  readonly order?: SortOrder | undefined;
  /** 1-based page; defaults to 1. Ignored when `offset` is given. */
  readonly page?: number | undefined;
  /** Rows to skip, for callers that merge several sorted sources; overrides `page`. */
  readonly offset?: number | undefined;
  /** Page size, 1 … `MAX_PLUGIN_PAGE_LIMIT`; defaults to `DEFAULT_PLUGIN_PAGE_LIMIT`. */
  readonly limit?: number | undefined;
}

/** One page of plugins and the number of plugins matching the filters across all pages. */
export interface PluginPage {
  readonly plugins: PluginRecord[];
  readonly total: number;
}
