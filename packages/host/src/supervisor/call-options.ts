/** Per-call options of `call` and `stream`. */
export interface CallOptions {
  /** Aborting it fails the call with `ABORTED` and cancels the request. */
  readonly signal?: AbortSignal;
  /** Overrides the host's call timeout; past it the call fails with `TIMEOUT`. */
  readonly timeoutMs?: number;
}
