import type { MetadataStore, PluginRecord, StoreChange } from '@plugboard/store';
import type { PluginDetail, PluginSummary, VersionView } from '../../catalog/plugin-view.js';
import { RecentEntries } from '../../cache/recent-entries.js';
import { toVersionView } from './plugin-views.js';

/** Plugins whose facts are remembered at once; past it the least recently read is dropped. */
export const MAX_CACHED_PLUGINS = 20_000;

/** What the store says about one LOCAL plugin, and the views computed from it so far. */
export interface CachedPluginFacts {
  readonly record: PluginRecord;
  /** Published versions as the API shows them, in the store's order. */
  readonly published: readonly VersionView[];
  readonly distTags: Readonly<Record<string, string>>;
  /** The list view, once computed (it needs no image registry). */
  summary?: PluginSummary;
  /** The detail view of a plugin without an image, once computed. */
  detail?: PluginDetail;
}

/**
 * A LOCAL plugin's record, published versions and dist-tags by domain and name, so a read costs
 * no query. Every plugin, version and dist-tag change of that name (from this process or, through
 * the store's change feed, another replica) drops its entry; a domain change or a resync drops
 * all. A read's promise is stored before it runs, so a change during the read drops it too.
 */
export class PluginFactsCache {
  readonly #store: MetadataStore;
  readonly #entries = new RecentEntries<Promise<CachedPluginFacts | undefined>>(MAX_CACHED_PLUGINS);

  constructor(store: MetadataStore) {
    this.#store = store;
    store.onChange((change) => this.#forget(change));
  }

  /** The plugin's facts, or undefined when the domain has no such plugin. */
  async get(domainId: string, name: string): Promise<CachedPluginFacts | undefined> {
    return this.#load(domainId, name);
  }

  /**
   * Like `get` for a record just listed. The record is read again on a miss rather than trusted:
   * a change between the list and now would otherwise leave it cached stale.
   */
  async forRecord(record: PluginRecord): Promise<CachedPluginFacts> {
    const facts = await this.#load(record.domainId, record.name);
    // Deleted between the list and now: answer with the listed record as the store gave it.
    return facts ?? { record, published: [], distTags: {} };
  }

  async #load(domainId: string, name: string): Promise<CachedPluginFacts | undefined> {
    const key = cacheKey(domainId, name);
    const cached = this.#entries.recent(key);
    if (cached !== undefined) return cached;
    const pending = this.#read(domainId, name);
    this.#entries.set(key, pending);
    const forget = (): void => {
      if (this.#entries.get(key) === pending) this.#entries.delete(key);
    };
    // Absent plugins and failed reads are not remembered.
    pending.then((facts) => {
      if (facts === undefined) forget();
    }, forget);
    return pending;
  }

  async #read(domainId: string, name: string): Promise<CachedPluginFacts | undefined> {
    const record = await this.#store.getPlugin(domainId, name);
    if (record === undefined) return undefined;
    const [published, distTags] = await Promise.all([
      this.#store.listVersions(domainId, name),
      this.#store.getDistTags(domainId, name),
    ]);
    return { record, published: published.map(toVersionView), distTags };
  }

  #forget(change: StoreChange): void {
    if (change.entity === 'all' || change.entity === 'domain') {
      this.#entries.clear();
      return;
    }
    if (change.entity === 'plugin' || change.entity === 'version' || change.entity === 'dist-tag') {
      this.#entries.delete(cacheKey(change.domainId, change.key));
    }
  }
}

function cacheKey(domainId: string, name: string): string {
  return `${domainId}\u0000${name}`;
}
