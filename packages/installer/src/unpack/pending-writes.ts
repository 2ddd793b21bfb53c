/** File writes in flight at most by default: libuv's thread pool has four threads. */
const DEFAULT_WRITES_IN_FLIGHT = 4;

/**
 * Runs independent file writes a few at a time, so creating many small files overlaps with reading
 * the archive instead of waiting for each open/write/close round trip. The first failure is kept
 * and thrown by the next `add` or by `drain`; `settle` waits for everything without throwing (for
 * cleanup after an error, so nothing is still writing while the caller deletes the folder).
 */
export class PendingWrites {
  readonly #inFlight = new Set<Promise<void>>();
  #failure: { readonly error: unknown } | undefined;

  constructor(private readonly limit = DEFAULT_WRITES_IN_FLIGHT) {}

  /** Starts `write` once fewer than `limit` are in flight. */
  async add(write: () => Promise<void>): Promise<void> {
    this.#throwIfFailed();
    while (this.#inFlight.size >= this.limit) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
    const running: Promise<void> = write().then(
      () => {
        this.#inFlight.delete(running);
      },
      (error: unknown) => {
        this.#failure ??= { error };
        this.#inFlight.delete(running);
      },
    );
    this.#inFlight.add(running);
  }

  /** Waits for every write; throws the first failure. */
  async drain(): Promise<void> {
    await this.settle();
    this.#throwIfFailed();
  }

  /** Waits for every write, whatever happened. */
  async settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure.error;
  }
}
