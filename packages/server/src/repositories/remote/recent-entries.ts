/**
 * A map that keeps at most `capacity` entries, forgetting the least recently written first. For
 * facts about a remote that are worth remembering but must not grow without bound.
 */
export class RecentEntries<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
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
}
