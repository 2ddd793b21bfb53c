import { PlugboardError } from '@plugboard/core';

/** Consecutive failures after which a REMOTE repository is not called for a while. */
export const DEFAULT_BREAKER_FAILURE_THRESHOLD = 3;

/** How long an open circuit stays open before one probe call is let through, in milliseconds. */
export const DEFAULT_BREAKER_COOLDOWN_MS = 30_000;

/** `closed`: calls go through; `open`: calls fail at once; `half-open`: one probe call goes through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** How one call ended, as far as the remote's health is concerned. */
export type CallOutcome = 'success' | 'failure' | 'neutral';

/** Tuning of a circuit breaker. */
export interface CircuitBreakerSettings {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open, in milliseconds. */
  readonly cooldownMs: number;
}

/** Options of one breaker. */
export interface CircuitBreakerOptions extends CircuitBreakerSettings {
  /** Clock in milliseconds; injectable for tests. */
  readonly now?: (() => number) | undefined;
  /** Called on every state change (for logs). */
  readonly onStateChange?: ((state: CircuitState, consecutiveFailures: number) => void) | undefined;
}

/**
 * A per-dependency circuit breaker: after `failureThreshold` consecutive failures it opens and
 * refuses calls with `UNAVAILABLE` for `cooldownMs`; then it lets one probe call through
 * (half-open) — success closes it, failure opens it for another cool-down. Calls the caller
 * aborted (`neutral`) change nothing, so a client that hangs up cannot open a healthy remote's
 * circuit.
 */
export class CircuitBreaker {
  readonly #options: CircuitBreakerOptions;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #failures = 0;
  #openUntil = 0;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The state a call started now would see. */
  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() >= this.#openUntil) return 'half-open';
    return this.#state;
  }

  /** Consecutive failures so far. */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /**
   * Runs `call` unless the circuit refuses it; `classify` says whether an error counts against the
   * dependency (a success is always a success).
   */
  async run<T>(call: () => Promise<T>, classify: (error: unknown) => CallOutcome): Promise<T> {
    const probe = this.#admit();
    let outcome: CallOutcome = 'success';
    try {
      return await call();
    } catch (error) {
      outcome = classify(error);
      throw error;
    } finally {
      if (probe) this.#probeInFlight = false;
      this.#record(outcome);
    }
  }

  // Returns true when this call is the half-open probe; throws when the circuit refuses it.
  #admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && !this.#probeInFlight) {
      this.#setState('half-open');
      this.#probeInFlight = true;
      return true;
    }
    const retryAt = new Date(this.#openUntil).toISOString();
    throw new PlugboardError(
      'UNAVAILABLE',
      `not called after ${this.#failures} consecutive failures (circuit open; next attempt after ${retryAt})`,
      { details: { circuit: state, retryAt } },
    );
  }

  #record(outcome: CallOutcome): void {
    if (outcome === 'neutral') {
      // An aborted probe proves nothing: the cool-down is over, so the next call probes again.
      if (this.#state === 'half-open') this.#state = 'open';
      return;
    }
    if (outcome === 'success') {
      this.#failures = 0;
      if (this.#state !== 'closed') this.#setState('closed');
      return;
    }
    this.#failures += 1;
    if (this.#state === 'half-open' || this.#failures >= this.#options.failureThreshold) {
      this.#openUntil = this.#now() + this.#options.cooldownMs;
      this.#setState('open');
    }
  }

  #setState(state: CircuitState): void {
    const changed = state !== this.#state;
    this.#state = state;
    if (changed) this.#options.onStateChange?.(state, this.#failures);
  }
}
