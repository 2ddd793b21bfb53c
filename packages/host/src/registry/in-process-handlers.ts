/** What an in-process handler receives besides its input. */
export interface InProcessCallContext {
  /** Aborted when the caller aborts or the call times out. */
  readonly signal: AbortSignal;
}

/**
 * One endpoint implemented in the host's own process. Return a value for a plain call, or an
 * async iterable for a streamed one.
 */
export type InProcessHandler = (input: unknown, context: InProcessCallContext) => unknown;

/** Endpoints of an in-process capability, by endpoint name. */
export type InProcessHandlers = Readonly<Record<string, InProcessHandler>>;
