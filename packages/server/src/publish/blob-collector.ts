import type { BlobStore, MetadataStore, StoreChange, SweepResult } from '@plugboard/store';

/**
 * How old an unused blob must be before it is deleted, in milliseconds. A publish writes its blob
 * before the version row that references it; this must exceed the longest publish.
 */
export const DEFAULT_BLOB_GRACE_MS = 60 * 60 * 1000;

/**
 * How long an unreferenced blob with a retention mark (a cached REMOTE artifact copy, marked when
 * stored and when served) is kept after its last use, in milliseconds: 7 days, so an artifact used
 * this week is still served while its remote is down.
 */
export const DEFAULT_CACHE_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** How long after a delete the sweep starts, so a burst of deletes makes one sweep, in ms. */
export const DEFAULT_SWEEP_DELAY_MS = 5_000;

/** The logger of the collector: pino's and Fastify's fit. */
export interface CollectorLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** What `BlobCollector` works on. */
export interface BlobCollectorOptions {
  readonly store: MetadataStore;
  readonly blobs: BlobStore;
  /** Defaults to `DEFAULT_BLOB_GRACE_MS`. */
  readonly graceMs?: number | undefined;
  /** Defaults to `DEFAULT_CACHE_RETENTION_MS`. */
  readonly cacheRetentionMs?: number | undefined;
  /** Defaults to `DEFAULT_SWEEP_DELAY_MS`. */
  readonly sweepDelayMs?: number | undefined;
  readonly logger?: CollectorLogger | undefined;
}

/** A sweep's outcome and the grace and cache retention periods it used. */
export interface CollectionReport extends SweepResult {
  readonly graceMs: number;
  readonly cacheRetentionMs: number;
}

/**
 * Garbage collection of artifact blobs. Blobs are content-addressed and shared by every version
 * (of any tenant) with the same bytes, so none is deleted when a version or a failed publish lets
 * go of it; instead a sweep deletes the blobs that no version row references, that are older
 * than the grace period and whose retention mark (cached REMOTE artifact copies, `BlobStore.retain`)
 * is older than the cache retention (`BlobStore.sweep`). A sweep runs shortly after plugins or domains are
 * deleted (one per burst), every grace period (failed publishes, expired REMOTE artifact copies),
 * and on `collect()` (`POST /api/v1/admin/gc`). Sweeps never overlap.
 *
 * @example
 * const collector = new BlobCollector({ store, blobs, logger });
 * collector.start();
 * const report = await collector.collect();
 */
export class BlobCollector {
  readonly #options: BlobCollectorOptions;
  readonly #graceMs: number;
  readonly #cacheRetentionMs: number;
  #unsubscribe: (() => void) | undefined;
  #delayed: NodeJS.Timeout | undefined;
  #periodic: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: BlobCollectorOptions) {
    this.#options = options;
    this.#graceMs = options.graceMs ?? DEFAULT_BLOB_GRACE_MS;
    this.#cacheRetentionMs = options.cacheRetentionMs ?? DEFAULT_CACHE_RETENTION_MS;
  }

  /** Sweeps after deletes and every grace period from now on. */
  start(): void {
    if (this.#unsubscribe !== undefined || this.#closed) return;
    this.#unsubscribe = this.#options.store.onChange((change) => {
      if (letsGoOfBlobs(change)) this.#sweepSoon();
    });
    this.#periodic = setInterval(() => this.#sweepInBackground(), this.#graceMs);
    this.#periodic.unref();
  }

  /** Runs a sweep now (after the one in progress, if any) and reports what it did. */
  collect(): Promise<CollectionReport> {
    const sweep = this.#running.catch(() => undefined).then(() => this.#sweep());
    this.#running = sweep;
    return sweep;
  }

  /** Stops listening and the timers; waits for a sweep in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#delayed);
    clearInterval(this.#periodic);
    await this.#running.catch(() => undefined);
  }

  async #sweep(): Promise<CollectionReport> {
    const result = await this.#options.blobs.sweep({
      graceMs: this.#graceMs,
      retainMs: this.#cacheRetentionMs,
      referenced: (digests) => this.#options.store.referencedDigests(digests),
    });
    if (result.deleted > 0) {
      this.#options.logger?.info({ ...result }, 'blob collector: deleted unused artifact blobs');
    }
    return { ...result, graceMs: this.#graceMs, cacheRetentionMs: this.#cacheRetentionMs };
  }

  #sweepSoon(): void {
    // The first delete of a burst sets the timer; the ones after it are covered by that sweep.
    if (this.#delayed !== undefined || this.#closed) return;
    this.#delayed = setTimeout(() => {
      this.#delayed = undefined;
      this.#sweepInBackground();
    }, this.#options.sweepDelayMs ?? DEFAULT_SWEEP_DELAY_MS);
    this.#delayed.unref();
  }

  #sweepInBackground(): void {
    if (this.#closed) return;
    this.collect().catch((error: unknown) => {
      this.#options.logger?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'blob collector: sweep failed; the next one retries',
      );
    });
  }
}

/** Changes after which some blob may have lost its last version. */
function letsGoOfBlobs(change: StoreChange): boolean {
  if (change.action !== 'deleted') return false;
  return change.entity === 'plugin' || change.entity === 'version' || change.entity === 'domain';
}
