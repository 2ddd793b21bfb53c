import type { MetadataStore, StoreChange } from '@plugboard/store';
import { RecentEntries } from '../../cache/recent-entries.js';
import type { SourcePage, SourceQuery } from '../../catalog/plugin-source.js';

/** List pages remembered at once; past it the least recently read is dropped. */
export const MAX_CACHED_PLUGIN_PAGES = 200;

/**
 * LOCAL list pages (summaries and total) by domain and query, so a repeated list or search costs
 * no query (a `q` search scans every plugin of the domain) and no summary building. Any plugin, version or dist-tag change
 * in a domain (from this process or, through the store's change feed, another replica) drops
 * that domain's pages; a domain change or a resync drops all. A read's promise is stored before
 * it runs, so a change during the read drops it too.
 */
export class PluginPageCache {
  readonly #pages = new RecentEntries<{ domainId: string; page: Promise<SourcePage> }>(
    MAX_CACHED_PLUGIN_PAGES,
  );

  constructor(store: MetadataStore) {
    store.onChange((change) => this.#forget(change));
  }

  /** The page `read` gives for this domain and query, from the cache when nothing changed since. */
  async page(
    domainId: string,
    query: SourceQuery,
    read: () => Promise<SourcePage>,
  ): Promise<SourcePage> {
    const key = `${domainId}\u0000${JSON.stringify(query, Object.keys(query).sort())}`;
    const cached = this.#pages.recent(key);
    if (cached !== undefined) return cached.page;
    const entry = { domainId, page: read() };
    this.#pages.set(key, entry);
    // A failed read is not remembered.
    entry.page.catch(() => {
      if (this.#pages.get(key) === entry) this.#pages.delete(key);
    });
    return entry.page;
  }

  #forget(change: StoreChange): void {
    if (change.entity === 'all' || change.entity === 'domain') {
      this.#pages.clear();
      return;
    }
    if (change.entity === 'plugin' || change.entity === 'version' || change.entity === 'dist-tag') {
      this.#pages.deleteWhere((entry) => entry.domainId === change.domainId);
    }
  }
}
