import type { Kysely, Transaction } from 'kysely';
import type { MetadataBackendName } from '../metadata/metadata-store.js';
import type { PendingChange, StoreChange } from '../metadata/store-change.js';
import type { ColumnTypes } from './column-types.js';
import type { Database } from './database-tables.js';

/** What a driver error means to the store, whichever driver raised it. */
export type DriverErrorKind =
  'unique-violation' | 'foreign-key-violation' | 'unavailable' | 'unknown';

/** How a backend tells other store instances about committed writes. */
export interface ChangeFeed {
  /**
   * Runs inside the write transaction, so other instances hear of the changes exactly when (and
   * only if) it commits.
   */
  announce(trx: Transaction<Database>, changes: readonly PendingChange[]): Promise<void>;
  /** Starts passing other instances' changes to `deliver`. */
  start(deliver: (change: StoreChange) => void): Promise<void>;
  /** Stops listening and releases its connection. */
  stop(): Promise<void>;
}

/**
 * Everything backend-specific that the shared Kysely store needs. One implementation per backend
 * folder (`sqlite/`, `postgres/`); nothing outside those folders knows which one it has.
 */
export interface MetadataBackend {
  readonly name: MetadataBackendName;
  readonly db: Kysely<Database>;
  readonly columnTypes: ColumnTypes;
  /**
   * The schema holding the tables, where the database has schemas. Kysely's migrator looks for its
   * table in every schema unless told which, so another schema's migrations would count as ours.
   */
  readonly schema: string | undefined;
  readonly changeFeed: ChangeFeed;
  /** Classifies an error thrown by the driver. */
  classifyError(error: unknown): DriverErrorKind;
}
