import { isPlugboardError, type PlugboardError } from '@plugboard/core';
import { abortedError, timeoutError, unreachableError, type CallSite } from './registry-errors.js';

/**
 * One call's cancellation: the caller's `AbortSignal` and a timeout combined into one signal for
 * `fetch`, remembering which of the two fired so the error says TIMEOUT or ABORTED correctly.
 * (`AbortSignal.any` would do the combining, but it is missing from older browsers.)
 */
export class CallControl {
  readonly #controller = new AbortController();
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: () => void;
  readonly #timeoutMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  constructor(
    private readonly site: CallSite,
    timeoutMs: number,
    callerSignal: AbortSignal | undefined,
  ) {
    this.#timeoutMs = timeoutMs;
    this.#callerSignal = callerSignal;
    this.#onCallerAbort = () => this.#controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted === true) this.#controller.abort(callerSignal.reason);
    else callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
    this.restartTimer();
  }

  /** The signal to hand to `fetch` and body reads. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Starts the timeout again (a download's idle timeout restarts after every chunk). */
  restartTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, this.#timeoutMs);
  }

  /** Throws ABORTED or TIMEOUT when the call has already been cancelled. */
  throwIfCancelled(): void {
    if (this.#controller.signal.aborted) throw this.failure(undefined);
  }

  /** Stops the timer and forgets the caller's signal. */
  dispose(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** What a failure of fetch or of a body read means for this call. */
  failure(error: unknown): PlugboardError {
    if (isPlugboardError(error)) return error;
    if (this.#timedOut) return timeoutError(this.site, this.#timeoutMs);
    if (this.#callerSignal?.aborted === true)
      return abortedError(this.site, this.#callerSignal.reason);
    return unreachableError(this.site, error);
  }
}
