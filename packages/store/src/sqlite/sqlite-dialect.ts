import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

/** How long a write waits for another process's lock on the file before failing, in milliseconds. */
export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the database file and sets it up: WAL (readers never block the one writer), a busy timeout
 * (another process may hold the write lock for a moment), and foreign keys (off by default in SQLite,
 * and the schema relies on them to cascade deletes).
 */
export function openSqliteDatabase(
  path: string,
  busyTimeoutMs = DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
): BetterSqlite3.Database {
  const database = new BetterSqlite3(path);
  try {
    if (path !== ':memory:') database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    database.pragma('foreign_keys = ON');
    return database;
  } catch (error) {
    database.close();
    throw error;
  }
}

/**
 * A `SqliteDriver` whose transactions start with `BEGIN IMMEDIATE`: the write lock is taken at the
 * start, so a transaction that reads and then writes waits for another process (busy timeout)
 * instead of failing with SQLITE_BUSY when it tries to upgrade its lock.
 */
class ImmediateTransactionSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Kysely's SQLite dialect on one connection (the one writer), with immediate transactions. */
export class SqliteWriterDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateTransactionSqliteDriver(this.#config);
  }
}
