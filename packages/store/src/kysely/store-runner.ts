import { PlugboardError, isPlugboardError } from '@plugboard/core';
import type { Kysely } from 'kysely';
import type { ChangeListener, PendingChange, StoreChange } from '../metadata/store-change.js';
import type { StoreLogger } from '../store-logger.js';
import type { Database } from './database-tables.js';
import type { MetadataBackend } from './metadata-backend.js';
import { translateDriverError, type ConstraintErrors } from './translate-driver-error.js';
import type { WriteContext } from './write-context.js';

/**
 * How every store operation runs: reads on the database, writes in one transaction that announces
 * its changes before commit and emits them to local listeners after, and any failure turned into a
 * `PlugboardError`. Also owns the listeners and the closed state.
 */
export class StoreRunner {
  readonly #parts: MetadataBackend;
  readonly #logger: StoreLogger;
  readonly #clock: () => Date;
  readonly #listeners = new Set<ChangeListener>();
  #closed = false;

  constructor(parts: MetadataBackend, logger: StoreLogger, clock: () => Date) {
    this.#parts = parts;
    this.#logger = logger;
    this.#clock = clock;
  }

  /** The current time as RFC 3339 UTC text. */
  now(): string {
    return this.#clock().toISOString();
  }

  /** Runs `work`, turning every failure into a `PlugboardError`; `UNAVAILABLE` once closed. */
  async run<T>(
    operation: string,
    work: () => Promise<T>,
    constraints?: ConstraintErrors,
  ): Promise<T> {
    if (this.#closed) {
      throw new PlugboardError('UNAVAILABLE', `metadata store: ${operation} after close()`, {
        details: { operation },
      });
    }
    try {
      return await work();
    } catch (error) {
      const kind = isPlugboardError(error) ? 'unknown' : this.#parts.classifyError(error);
      throw translateDriverError(error, kind, operation, constraints);
    }
  }

  /** Runs a read on the database. */
  async read<T>(operation: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.run(operation, () => work(this.#parts.db));
  }

  /** Runs `work` in a transaction; announces its changes inside it and emits them after commit. */
  async write<T>(
    operation: string,
    work: (context: WriteContext) => Promise<T>,
    constraints?: ConstraintErrors,
  ): Promise<T> {
    let committed: PendingChange[] = [];
    const result = await this.run(
      operation,
      () =>
        this.#parts.db.transaction().execute(async (trx) => {
          const context: WriteContext = { trx, now: this.now(), changes: [] };
          const value = await work(context);
          if (context.changes.length > 0) {
            await this.#parts.changeFeed.announce(trx, context.changes);
          }
          committed = context.changes;
          return value;
        }),
      constraints,
    );
    for (const change of committed) this.emit({ ...change, local: true });
    return result;
  }

  /** Adds a listener; returns its remover. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Passes a change to every listener; a throwing listener is logged and skipped. */
  emit(change: StoreChange): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#logger.error({ err: error, change }, 'metadata store: a change listener threw');
      }
    }
  }

  /** Stops the change feed and closes the database; later operations fail with `UNAVAILABLE`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    try {
      await this.#parts.changeFeed.stop();
    } catch (error) {
      this.#logger.warn({ err: error }, 'metadata store: stopping the change feed failed');
    }
    try {
      await this.#parts.db.destroy();
    } catch (error) {
      this.#logger.warn({ err: error }, 'metadata store: closing the database failed');
    }
  }
}
