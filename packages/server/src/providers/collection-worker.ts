import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SILENT_LOGGER, type HostLogger } from '@plugboard/host';
import { ZERO_RUN_COUNTS, type CollectionRunRecord, type RunCounts } from '@plugboard/store';
import {
  DEFAULT_COLLECT_TIMEOUT_MS,
  DEFAULT_INGEST_BATCH_SIZE,
  DEFAULT_INGEST_FLUSH_MS,
  executeCollectionRun,
  type RunControl,
  type RunExecutionOptions,
} from './collection-run-executor.js';
import type { ProviderService, RunQueueListener } from './provider-service.js';

/** Runs one worker executes at once by default. */
export const DEFAULT_COLLECTION_CONCURRENCY = 2;
/** How often an idle worker looks for pending runs, in milliseconds. */
export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** How often a running run's worker records progress and reads cancel requests, in ms. */
export const DEFAULT_HEARTBEAT_MS = 2_000;
/** A running run without a heartbeat for this long is failed (its worker died), in ms. */
export const DEFAULT_STALE_AFTER_MS = 60_000;

/** Options of `CollectionWorker`. */
export interface CollectionWorkerOptions {
  /** Unique among the replicas sharing a database; generated when absent. */
  readonly workerId?: string | undefined;
  readonly concurrency?: number | undefined;
  readonly pollIntervalMs?: number | undefined;
  readonly heartbeatMs?: number | undefined;
  readonly staleAfterMs?: number | undefined;
  readonly batchSize?: number | undefined;
  readonly flushMs?: number | undefined;
  readonly collectTimeoutMs?: number | undefined;
  readonly logger?: HostLogger | undefined;
}

interface ActiveRun {
  readonly run: CollectionRunRecord;
  readonly controller: AbortController;
  reason: 'canceled' | 'lost' | 'shutdown' | undefined;
  counts: RunCounts;
  pluginVersion: string | undefined;
  heartbeat: Promise<void> | undefined;
  done: Promise<void>;
}

/**
 * Claims pending collection runs from the store (any replica's) and executes them, up to
 * `concurrency` at once. A heartbeat records each run's progress, notices cancel requests and
 * notices when the run was taken from it; runs whose worker went quiet for `staleAfterMs` are
 * failed, so a crashed replica's runs do not stay `running` for ever. Pending runs simply wait
 * in the database across restarts.
 */
export class CollectionWorker implements RunQueueListener {
  readonly workerId: string;
  readonly #providers: ProviderService;
  readonly #concurrency: number;
  readonly #pollIntervalMs: number;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  readonly #execution: RunExecutionOptions;
  readonly #logger: HostLogger;
  readonly #active = new Map<string, ActiveRun>();
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #tickAgain = false;
  #stopped = true;

  constructor(providers: ProviderService, options: CollectionWorkerOptions = {}) {
    this.workerId =
      options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
    this.#providers = providers;
    this.#concurrency = Math.max(1, options.concurrency ?? DEFAULT_COLLECTION_CONCURRENCY);
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.#staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#execution = {
      batchSize: options.batchSize ?? DEFAULT_INGEST_BATCH_SIZE,
      flushMs: options.flushMs ?? DEFAULT_INGEST_FLUSH_MS,
      collectTimeoutMs: options.collectTimeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS,
      logger: this.#logger,
    };
  }

  /** Starts polling (and, first, fails runs left running by a worker that died). */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#providers.onRunQueued(this);
    this.wake();
  }

  /** Looks for pending runs now instead of at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    void this.#tick();
  }

  /** Reads a run's cancel request now instead of at its next heartbeat. */
  cancelRequested(runId: string): void {
    const active = this.#active.get(runId);
    if (active !== undefined) void this.#beat(active);
  }

  /** Runs executing here now. */
  get activeRuns(): number {
    return this.#active.size;
  }

  /** Stops polling; runs in flight are stopped and recorded as failed by the shutdown. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const active of this.#active.values()) {
      active.reason ??= 'shutdown';
      active.controller.abort();
    }
    await Promise.all([...this.#active.values()].map((active) => active.done));
  }

  async #tick(): Promise<void> {
    if (this.#ticking) {
      this.#tickAgain = true;
      return;
    }
    this.#ticking = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    try {
      const stale = await this.#providers.store.failStaleRuns(
        new Date(Date.now() - this.#staleAfterMs),
        `the worker running it went quiet for ${Math.round(this.#staleAfterMs / 1000)} s (stopped or crashed)`,
      );
      for (const run of stale) {
        this.#logger.warn({ runId: run.id, worker: run.workerId }, 'failed a stale collection run');
      }
      while (!this.#stopped && this.#active.size < this.#concurrency) {
        const run = await this.#providers.store.claimRun(this.workerId);
        if (run === undefined) break;
        this.#begin(run);
      }
    } catch (error) {
      this.#logger.warn({ err: error }, 'looking for collection runs failed');
    } finally {
      this.#ticking = false;
      if (!this.#stopped) {
        if (this.#tickAgain) {
          this.#tickAgain = false;
          void this.#tick();
        } else {
          this.#timer = setTimeout(() => void this.#tick(), this.#pollIntervalMs);
          this.#timer.unref();
        }
      }
    }
  }

  #begin(run: CollectionRunRecord): void {
    const controller = new AbortController();
    const active: ActiveRun = {
      run,
      controller,
      reason: undefined,
      counts: ZERO_RUN_COUNTS,
      pluginVersion: undefined,
      heartbeat: undefined,
      done: Promise.resolve(),
    };
    const control: RunControl = {
      signal: controller.signal,
      stopReason: () => active.reason,
      report: (counts, pluginVersion) => {
        active.counts = counts;
        active.pluginVersion = pluginVersion;
      },
    };
    const timer = setInterval(() => void this.#beat(active), this.#heartbeatMs);
    this.#logger.info({ runId: run.id, providerId: run.providerId }, 'collection run started');
    this.#active.set(run.id, active);
    active.done = executeCollectionRun(run, this.#providers, control, this.#execution)
      .then(async (outcome) => {
        clearInterval(timer);
        await active.heartbeat;
        const finished = await this.#providers.store.finishRun(run.id, this.workerId, outcome);
        if (finished === undefined) {
          this.#logger.warn({ runId: run.id }, 'a collection run ended after it was taken over');
        } else {
          this.#logger.info(
            { runId: run.id, state: finished.state, ...finished.counts },
            'collection run ended',
          );
        }
      })
      .catch((error: unknown) => {
        this.#logger.error({ err: error, runId: run.id }, 'recording a collection run failed');
      })
      .finally(() => {
        clearInterval(timer);
        this.#active.delete(run.id);
        this.wake();
      });
  }

  async #beat(active: ActiveRun): Promise<void> {
    if (active.heartbeat !== undefined) return active.heartbeat;
    active.heartbeat = (async () => {
      try {
        const state = await this.#providers.store.heartbeatRun(active.run.id, this.workerId, {
          counts: active.counts,
          pluginVersion: active.pluginVersion,
        });
        if (!state.owned) {
          active.reason ??= 'lost';
          active.controller.abort();
        } else if (state.cancelRequested) {
          active.reason ??= 'canceled';
          active.controller.abort();
        }
      } catch (error) {
        this.#logger.warn({ err: error, runId: active.run.id }, 'run heartbeat failed');
      } finally {
        active.heartbeat = undefined;
      }
    })();
    return active.heartbeat;
  }
}
