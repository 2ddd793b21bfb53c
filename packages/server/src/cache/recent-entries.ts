/**
 * A map that keeps at most `capacity` entries, forgetting the least recent first: the least
 * recently written, or with `recent()`, the least recently read or written. The one bound for the
 * server's caches (tokens, plugin facts, list pages, merged pages, remote facts), so none grows
 * without limit.
 */
export class RecentEntries<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  /** Like `get`, and makes a found entry the most recent (least-recently-used caches). */
  recent(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  /** Stores `value`, making it the most recent entry. */
  set(key: string, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Forgets every entry `matches` selects. */
  deleteWhere(matches: (value: V, key: string) => boolean): void {
    for (const [key, value] of this.#entries) if (matches(value, key)) this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
