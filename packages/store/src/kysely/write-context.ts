import type { Transaction } from 'kysely';
import type { PendingChange } from '../metadata/store-change.js';
import type { Database } from './database-tables.js';

/** What a write runs with: its transaction, one timestamp for every row it touches, its changes. */
export interface WriteContext {
  readonly trx: Transaction<Database>;
  /** RFC 3339 UTC time of the write. */
  readonly now: string;
  /** Changes to announce once the transaction commits. */
  readonly changes: PendingChange[];
}
