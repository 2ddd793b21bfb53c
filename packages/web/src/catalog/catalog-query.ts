import type { PluginListQuery, RepositoryType } from '@plugboard/client';

/**
 * The catalog's view state as the URL carries it (`/?q=aws&repository=MANAGED&page=2`): parsed
 * from and written to the query string, so a view can be shared and the back button restores it.
 */

/** Plugins per catalog page. */
export const CATALOG_PAGE_SIZE = 24;

/** Repository types a filter may name. */
export const REPOSITORY_TYPES: readonly RepositoryType[] = ['MANAGED', 'LOCAL', 'REMOTE'];

/** Plugin states a filter may name. */
export const PLUGIN_STATES = ['enabled', 'disabled'] as const;

/** The catalog's search, filters and page. Empty strings mean "any". */
export interface CatalogQuery {
  readonly q: string;
  readonly provider: string;
  readonly type: string;
  readonly repository: '' | RepositoryType;
  readonly label: string;
  readonly state: '' | (typeof PLUGIN_STATES)[number];
  /** 1-based. */
  readonly page: number;
}

/** The view with no search and no filter. */
export const EMPTY_CATALOG_QUERY: CatalogQuery = Object.freeze({
  q: '',
  provider: '',
  type: '',
  repository: '',
  label: '',
  state: '',
  page: 1,
});

/** Longest text kept from the URL for one value (the server refuses longer ones anyway). */
const MAX_VALUE_CHARS = 200;

function text(params: URLSearchParams, key: string): string {
  return (params.get(key) ?? '').trim().slice(0, MAX_VALUE_CHARS);
}

/** Reads the view from a query string; unknown or malformed values fall back to "any". */
export function parseCatalogQuery(search: string): CatalogQuery {
  const params = new URLSearchParams(search);
  const repository = text(params, 'repository').toUpperCase();
  const state = text(params, 'state').toLowerCase();
  const page = Number.parseInt(text(params, 'page'), 10);
  return {
    q: text(params, 'q'),
    provider: text(params, 'provider'),
    type: text(params, 'type'),
    repository: (REPOSITORY_TYPES as readonly string[]).includes(repository)
      ? (repository as RepositoryType)
      : '',
    label: text(params, 'label'),
    state: (PLUGIN_STATES as readonly string[]).includes(state)
      ? (state as CatalogQuery['state'])
      : '',
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** Writes the view as a query string (`?q=…`, or empty), leaving defaults out, in a fixed order. */
export function catalogSearch(query: CatalogQuery): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'provider', 'type', 'repository', 'label', 'state'] as const) {
    if (query[key] !== '') params.set(key, query[key]);
  }
  if (query.page > 1) params.set('page', String(query.page));
  const search = params.toString();
  return search === '' ? '' : `?${search}`;
}

/** True when the view filters anything (a search text or a filter). */
export function isFiltered(query: CatalogQuery): boolean {
  return catalogSearch({ ...query, page: 1 }) !== '';
}

/** Only the columns a card shows: a page of 24 stays small even with 10,000 plugins. */
export const CARD_FIELDS: readonly string[] = [
  'name',
  'display_name',
  'description',
  'type',
  'providers',
  'labels',
  'icon',
  'state',
  'enabled',
  'repository_type',
  'repository',
  'latest_version',
  'deprecated',
  'signed',
];

/** The `GET /plugins` query of a view. */
export function pluginListQuery(query: CatalogQuery): PluginListQuery {
  const value = (v: string) => (v === '' ? undefined : v);
  return {
    q: value(query.q),
    provider: value(query.provider),
    type: value(query.type),
    repository: query.repository === '' ? undefined : query.repository,
    label: value(query.label),
    state: query.state === '' ? undefined : query.state,
    page: query.page,
    limit: CATALOG_PAGE_SIZE,
    sort: 'name',
    fields: CARD_FIELDS,
  };
}
