import type { ChangeFeed } from '../kysely/metadata-backend.js';

/**
 * SQLite has no way to tell other processes about a commit, and the embedded registry is one
 * process, so changes are only delivered in-process (the shared store emits them after commit).
 * Run several replicas on PostgreSQL instead.
 */
export class SqliteChangeFeed implements ChangeFeed {
  announce(): Promise<void> {
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }
}
