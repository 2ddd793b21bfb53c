/** Failed authentications a client address may make per window by default. */
export const DEFAULT_AUTH_FAILURES_PER_MINUTE = 30;

/** Client addresses tracked at once; past it the oldest is dropped. */
const MAX_TRACKED_ADDRESSES = 10_000;

const WINDOW_MS = 60_000;

/**
 * Counts failed authentications per client address: one that fails `limit` times within a minute
 * is told to wait (RATE_LIMITED, 429) until that minute is over. Only failures are counted, so
 * clients with good credentials never meet it; the state is per replica and in memory.
 */
export class FailedAuthLimiter {
  readonly #limit: number;
  readonly #now: () => number;
  readonly #failures = new Map<string, { windowStart: number; count: number }>();

  /** `limit` 0 turns the limiter off. */
  constructor(limit: number = DEFAULT_AUTH_FAILURES_PER_MINUTE, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Seconds until `address` may try again, or undefined when it may try now. */
  retryAfterSeconds(address: string): number | undefined {
    if (this.#limit === 0) return undefined;
    const entry = this.#failures.get(address);
    if (entry === undefined || entry.count < this.#limit) return undefined;
    const left = entry.windowStart + WINDOW_MS - this.#now();
    if (left <= 0) {
      this.#failures.delete(address);
      return undefined;
    }
    return Math.ceil(left / 1000);
  }

  /** Counts one failed authentication from `address`. */
  recordFailure(address: string): void {
    if (this.#limit === 0) return;
    const now = this.#now();
    const entry = this.#failures.get(address);
    if (entry !== undefined && now - entry.windowStart < WINDOW_MS) {
      entry.count += 1;
      return;
    }
    this.#failures.delete(address);
    if (this.#failures.size >= MAX_TRACKED_ADDRESSES) {
      const oldest = this.#failures.keys().next();
      if (oldest.done !== true) this.#failures.delete(oldest.value);
    }
    this.#failures.set(address, { windowStart: now, count: 1 });
  }
}
