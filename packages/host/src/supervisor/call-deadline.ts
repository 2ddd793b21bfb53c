import { PlugboardError } from '@plugboard/core';

/**
 * One call's cancellation: an AbortSignal that fires with a `PlugboardError` reason — `TIMEOUT`
 * after the call timeout, `ABORTED` when the caller's signal fires, or whatever the supervisor
 * passes to `fail` (e.g. `PLUGIN_CRASHED`). The first reason wins.
 */
export class CallDeadline {
  // Made on first use of `signal`: creating an AbortSignal costs more than the rest of a plugin
  // call's bookkeeping, and a plugin call only needs `onStop`.
  #controller: AbortController | undefined;
  #reason: PlugboardError | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: () => void;
  readonly #stopListeners = new Set<(reason: PlugboardError) => void>();
  readonly deadline: number;

  constructor(subject: string, timeoutMs: number, callerSignal?: AbortSignal) {
    this.deadline = Date.now() + timeoutMs;
    this.#timer = setTimeout(() => {
      this.fail(
        new PlugboardError('TIMEOUT', `${subject} did not finish within ${timeoutMs} ms`, {
          details: { timeoutMs },
        }),
      );
    }, timeoutMs);
    this.#callerSignal = callerSignal;
    this.#onCallerAbort = () => {
      this.fail(
        new PlugboardError('ABORTED', `${subject} was aborted by the caller`, {
          cause: callerSignal?.reason,
        }),
      );
    };
    if (callerSignal?.aborted === true) this.#onCallerAbort();
    else callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** Fires when the call must stop; its `reason` is a `PlugboardError`. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#reason !== undefined) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  /** Milliseconds left (at least 1). */
  get remainingMs(): number {
    return Math.max(1, this.deadline - Date.now());
  }

  /** Ends the call with `error` unless it already ended. */
  fail(error: PlugboardError): void {
    if (this.#reason !== undefined) return;
    this.#reason = error;
    this.#controller?.abort(error);
    const listeners = [...this.#stopListeners];
    this.#stopListeners.clear();
    for (const listener of listeners) listener(error);
  }

  /** The reason the call was stopped, if it was. */
  get reason(): PlugboardError | undefined {
    return this.#reason;
  }

  /**
   * Calls `listener` once when the call is stopped (at once if it already was); the returned
   * function unsubscribes. The cheap alternative to listening on `signal`.
   */
  onStop(listener: (reason: PlugboardError) => void): () => void {
    if (this.#reason !== undefined) {
      listener(this.#reason);
      return () => undefined;
    }
    this.#stopListeners.add(listener);
    return () => this.#stopListeners.delete(listener);
  }

  /** Releases the timer and the caller-signal listener. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** Resolves with `promise`, or rejects with the stop reason as soon as the call is stopped. */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.#reason !== undefined) {
      promise.catch(() => undefined);
      return Promise.reject(this.#reason);
    }
    return new Promise<T>((resolve, reject) => {
      const unsubscribe = this.onStop(reject);
      promise.then(
        (value) => {
          unsubscribe();
          resolve(value);
        },
        (error: Error) => {
          unsubscribe();
          reject(error);
        },
      );
    });
  }
}
