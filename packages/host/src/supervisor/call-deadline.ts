import { PlugboardError } from '@plugboard/core';

/**
 * One call's cancellation: an AbortSignal that fires with a `PlugboardError` reason — `TIMEOUT`
 * after the call timeout, `ABORTED` when the caller's signal fires, or whatever the supervisor
 * passes to `fail` (e.g. `PLUGIN_CRASHED`). The first reason wins.
 */
export class CallDeadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: () => void;
  readonly #racing = new Set<(reason: Error) => void>();
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
    return this.#controller.signal;
  }

  /** Milliseconds left (at least 1). */
  get remainingMs(): number {
    return Math.max(1, this.deadline - Date.now());
  }

  /** Ends the call with `error` unless it already ended. */
  fail(error: PlugboardError): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(error);
    for (const reject of this.#racing) reject(error);
    this.#racing.clear();
  }

  /** The reason the call was stopped, if it was. */
  get reason(): PlugboardError | undefined {
    return this.#controller.signal.aborted
      ? (this.#controller.signal.reason as PlugboardError)
      : undefined;
  }

  /** Releases the timer and the caller-signal listener. */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  /** Resolves with `promise`, or rejects with the stop reason as soon as the call is stopped. */
  race<T>(promise: Promise<T>): Promise<T> {
    const signal = this.#controller.signal;
    if (signal.aborted) {
      promise.catch(() => undefined);
      return Promise.reject(signal.reason as Error);
    }
    // A set of rejecters rather than an abort listener per race: a call races three times, and
    // EventTarget listeners cost more than the rest of the bookkeeping.
    return new Promise<T>((resolve, reject) => {
      const racing = this.#racing;
      racing.add(reject);
      promise.then(
        (value) => {
          racing.delete(reject);
          resolve(value);
        },
        (error: Error) => {
          racing.delete(reject);
          reject(error);
        },
      );
    });
  }
}
