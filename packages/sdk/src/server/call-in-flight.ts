import { PluginError, type AbortReason } from '../plugin-error.js';

/** One call in flight: its abort controller and why it was aborted, if it was. */
export class CallInFlight {
  readonly controller = new AbortController();
  reason: AbortReason | undefined;

  /** Aborts the call's signal, remembering the first reason. */
  abort(reason: AbortReason): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller.abort(
      new PluginError(reason === 'timeout' ? 'TIMEOUT' : 'ABORTED', `call aborted: ${reason}`),
    );
  }
}
