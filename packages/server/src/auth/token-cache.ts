import type { ApiToken, MetadataStore } from '@plugboard/store';
import { RecentEntries } from '../cache/recent-entries.js';

/** Active tokens remembered at once; past it the oldest entry is dropped. */
export const MAX_CACHED_TOKENS = 10_000;

/**
 * Active tokens by secret hash, so a request does not query the store to authenticate. Every token
 * or domain change (local, or another replica's through the store's change feed) and every
 * resync empties it; expiry is checked on each hit. Unknown hashes are not remembered, so
 * guessed secrets cannot fill it.
 */
export class TokenCache {
  readonly #store: MetadataStore;
  readonly #now: () => number;
  readonly #byHash = new RecentEntries<Promise<ApiToken | undefined>>(MAX_CACHED_TOKENS);

  constructor(store: MetadataStore, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
    store.onChange((change) => {
      if (change.entity === 'all' || change.entity === 'token' || change.entity === 'domain') {
        this.#byHash.clear();
      }
    });
  }

  /** The active token with this secret hash, or undefined. */
  async find(secretHash: string): Promise<ApiToken | undefined> {
    let pending = this.#byHash.get(secretHash);
    if (pending === undefined) {
      // The promise is stored before the read ends: a change during the read clears it.
      pending = this.#store.findTokenByHash(secretHash);
      this.#remember(secretHash, pending);
    }
    const token = await pending;
    if (token?.expiresAt !== undefined && Date.parse(token.expiresAt) <= this.#now()) {
      if (this.#byHash.get(secretHash) === pending) this.#byHash.delete(secretHash);
      return undefined;
    }
    return token;
  }

  #remember(secretHash: string, pending: Promise<ApiToken | undefined>): void {
    this.#byHash.set(secretHash, pending);
    const forget = (): void => {
      if (this.#byHash.get(secretHash) === pending) this.#byHash.delete(secretHash);
    };
    pending.then((token) => {
      if (token === undefined) forget();
    }, forget);
  }
}
