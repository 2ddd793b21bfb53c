/** Every state of a collection run; the last four are final. */
export const RUN_STATES = [
  'pending',
  'running',
  'completed',
  'partial',
  'failed',
  'canceled',
] as const;

/** A collection run's state. */
export type RunState = (typeof RUN_STATES)[number];

/** States a run ends in. */
export type FinalRunState = Exclude<RunState, 'pending' | 'running'>;

/** True for `completed`, `partial`, `failed` and `canceled`. */
export function isFinalRunState(state: RunState): state is FinalRunState {
  return state !== 'pending' && state !== 'running';
}

/** True when `value` is one of `RUN_STATES`. */
export function isRunState(value: unknown): value is RunState {
  return typeof value === 'string' && (RUN_STATES as readonly string[]).includes(value);
}

/** What a run did to the provider's resources. */
export interface RunCounts {
  /** Valid resources the plugin yielded. */
  readonly found: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Resources soft-deleted because the run no longer saw them. */
  readonly removed: number;
  /** Values the plugin yielded that were not valid resources (skipped). */
  readonly invalid: number;
}

/** All-zero counts. */
export const ZERO_RUN_COUNTS: RunCounts = Object.freeze({
  found: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  removed: 0,
  invalid: 0,
});

/** Why a run failed, or what went wrong in a partial one. */
export interface RunError {
  readonly code: string;
  readonly message: string;
}

/** One collection run of a provider: connect → collect → disconnect, done by a worker. */
export interface CollectionRunRecord {
  readonly id: string;
  readonly domainId: string;
  readonly providerId: string;
  readonly state: RunState;
  /** `vendor:provider_type` when the run was requested. */
  readonly pluginKey: string;
  /** The plugin version that ran it, once a worker started it. */
  readonly pluginVersion: string | undefined;
  /** Only these resource types; all when undefined. */
  readonly resourceTypes: readonly string[] | undefined;
  /** Who asked for it (a token id), when known. */
  readonly requestedBy: string | undefined;
  readonly counts: RunCounts;
  readonly error: RunError | undefined;
  readonly cancelRequested: boolean;
  /** The worker that claimed it. */
  readonly workerId: string | undefined;
  readonly createdAt: string;
  readonly startedAt: string | undefined;
  readonly finishedAt: string | undefined;
  /** Last sign of life of the worker running it. */
  readonly heartbeatAt: string | undefined;
}

/** What `createRun` needs beyond the provider. */
export interface CreateRunInput {
  readonly resourceTypes?: readonly string[] | undefined;
  readonly requestedBy?: string | undefined;
}

/** Filters and paging of `listRuns`. */
export interface RunQuery {
  readonly providerId?: string | undefined;
  readonly state?: RunState | undefined;
  readonly page?: number | undefined;
  readonly limit?: number | undefined;
}

/** One page of runs, newest first, and the total across pages. */
export interface RunPage {
  readonly runs: CollectionRunRecord[];
  readonly total: number;
}

/** A heartbeat from the worker running a run. */
export interface RunProgress {
  readonly counts: RunCounts;
  readonly pluginVersion?: string | undefined;
}

/** What the worker learns from a heartbeat. */
export interface RunHeartbeat {
  /** False when the run is no longer this worker's (recovered as stale, or gone). */
  readonly owned: boolean;
  readonly cancelRequested: boolean;
}

/** How a run ended. */
export interface RunOutcome {
  readonly state: FinalRunState;
  readonly counts: RunCounts;
  readonly error?: RunError | undefined;
  readonly pluginVersion?: string | undefined;
}
