import type { PluginList } from '@plugboard/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { registryClient } from '../api/registry-api.js';
import { historyState, navigate } from '../routing/router.js';
import { useSession } from '../session/use-session.js';
import { ErrorNotice, Notice } from '../ui/notice.js';
import { useAsync } from '../ui/use-async.js';
import { useDebounced } from '../ui/use-debounced.js';
import { CatalogFilters, type FilterSuggestions } from './catalog-filters.js';
import {
  CATALOG_PAGE_SIZE,
  EMPTY_CATALOG_QUERY,
  catalogSearch,
  isFiltered,
  parseCatalogQuery,
  pluginListQuery,
  type CatalogQuery,
} from './catalog-query.js';
import { Pager } from './pager.js';
import { PluginCard } from './plugin-card.js';

/** Pause after the last keystroke before the search is sent, in milliseconds. */
export const SEARCH_DEBOUNCE_MS = 250;

/** Marks a history entry made by typing, so one burst of typing stays one entry. */
const TYPING_STATE = { catalog: 'typing' } as const;

function isTypingEntry(state: unknown): boolean {
  return (
    typeof state === 'object' &&
    state !== null &&
    (state as { catalog?: unknown }).catalog === 'typing'
  );
}

/** Most suggestions kept per filter. */
const MAX_SUGGESTIONS = 200;

/**
 * The catalog at `/`: search as you type (server-side, paged, debounced; a newer search cancels
 * the older request), filters, cards. The URL holds the whole view.
 */
export function CatalogPage({ search }: { readonly search: string }) {
  const query = parseCatalogQuery(search);
  // Signing in or out changes what the catalog holds (LOCAL and REMOTE need a token).
  const session = useSession();
  const key = `${catalogSearch(query)}\n${session?.token ?? ''}`;
  const result = useAsync<PluginList>(key, (signal) =>
    registryClient().listPlugins(pluginListQuery(query), { signal }),
  );
  const [text, setText] = useState(query.q);
  const sent = useRef(query.q);

  const go = (next: CatalogQuery, typing = false) => {
    const href = `/${catalogSearch(next)}`;
    navigate(href, typing ? { replace: isTypingEntry(historyState()), state: TYPING_STATE } : {});
  };
  const sendSearch = useDebounced((value: string) => {
    sent.current = value.trim();
    go({ ...query, q: value.trim(), page: 1 }, true);
  }, SEARCH_DEBOUNCE_MS);
  // The back button (or a link) changed the search: show it in the box, and drop any search
  // still waiting to be sent (it would undo the navigation).
  useEffect(() => {
    if (query.q !== sent.current) {
      sendSearch.cancel();
      sent.current = query.q;
      setText(query.q);
    }
  }, [query.q]);

  const suggestions = useSuggestions(result.data);
  const list = result.data;
  return (
    <section aria-labelledby="catalog-heading">
      <h1 id="catalog-heading" tabIndex={-1}>
        Plugins
      </h1>
      <form
        role="search"
        class="search"
        onSubmit={(event) => {
          event.preventDefault();
          sendSearch.cancel();
          sent.current = text.trim();
          go({ ...query, q: text.trim(), page: 1 });
        }}
      >
        <label for="catalog-search">Search plugins</label>
        <input
          id="catalog-search"
          type="search"
          name="q"
          autocomplete="off"
          spellcheck={false}
          placeholder="name, description or label"
          value={text}
          onInput={(event) => {
            setText(event.currentTarget.value);
            sendSearch.call(event.currentTarget.value);
          }}
        />
      </form>
      <CatalogFilters
        query={query}
        suggestions={suggestions}
        onChange={(change) => go({ ...query, ...change, page: 1 })}
      />
      <div class="result-bar">
        <p id="result-count" aria-live="polite" aria-atomic="true">
          {list === undefined
            ? 'Loading…'
            : list.total === 0
              ? 'No plugins match.'
              : `${list.total.toLocaleString('en')} plugin${list.total === 1 ? '' : 's'}`}
        </p>
        {isFiltered(query) ? (
          <button
            type="button"
            class="link-button"
            onClick={() => {
              sendSearch.cancel();
              sent.current = '';
              setText('');
              go(EMPTY_CATALOG_QUERY);
            }}
          >
            Clear search and filters
          </button>
        ) : null}
      </div>
      {result.status === 'error' ? (
        <ErrorNotice error={result.error} action="The catalog could not be loaded" />
      ) : null}
      {list?.warnings.map((warning) => (
        <Notice kind="warning" key={warning}>
          {warning}
        </Notice>
      ))}
      <ul class="card-grid" aria-busy={result.status === 'loading'} aria-label="Plugins">
        {list?.plugins.map((plugin) => (
          <li key={`${plugin.repository_type}:${plugin.name}`}>
            <PluginCard plugin={plugin} />
          </li>
        ))}
      </ul>
      {list === undefined ? null : (
        <Pager
          page={query.page}
          total={list.total}
          pageSize={CATALOG_PAGE_SIZE}
          label="Catalog pages"
          href={(page) => `/${catalogSearch({ ...query, page })}`}
        />
      )}
    </section>
  );
}

/** Providers, types and labels seen in any page so far (the API has no facet counts). */
function useSuggestions(list: PluginList | undefined): FilterSuggestions {
  const seen = useRef({
    provider: new Set<string>(),
    type: new Set<string>(),
    label: new Set<string>(),
  });
  for (const plugin of list?.plugins ?? []) {
    const add = (set: Set<string>, value: string | undefined) => {
      if (value !== undefined && value !== '' && set.size < MAX_SUGGESTIONS) set.add(value);
    };
    for (const provider of plugin.providers ?? []) add(seen.current.provider, provider);
    add(seen.current.type, plugin.type);
    for (const label of plugin.labels ?? []) add(seen.current.label, label);
  }
  const sorted = (set: Set<string>) => [...set].sort((a, b) => a.localeCompare(b));
  return {
    provider: sorted(seen.current.provider),
    type: sorted(seen.current.type),
    label: sorted(seen.current.label),
  };
}
