import pg from 'pg';
import type { StoreLogger } from '../store-logger.js';

/** Connections per store instance (each replica has its own pool). */
export const DEFAULT_POSTGRES_POOL_SIZE = 10;

/** How long to wait for a connection before reporting the database unavailable, in milliseconds. */
export const DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS = 10_000;

/** Schema names the store accepts: short enough that the notification channel stays a valid name. */
export const POSTGRES_SCHEMA_PATTERN = '^[a-z_][a-z0-9_]{0,39}$';

/** Where and how to connect. */
export interface PostgresConnectionSettings {
  readonly connectionString: string;
  /** Schema holding the tables; `public` (the server's default search_path) when absent. */
  readonly schema?: string | undefined;
  readonly poolSize?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

/** The `pg` client configuration for these settings (also used by the LISTEN connection). */
export function postgresClientConfig(settings: PostgresConnectionSettings): pg.ClientConfig {
  return {
    connectionString: settings.connectionString,
    connectionTimeoutMillis: settings.connectTimeoutMs ?? DEFAULT_POSTGRES_CONNECT_TIMEOUT_MS,
    ...(settings.schema === undefined ? {} : { options: `-c search_path=${settings.schema}` }),
  };
}

/**
 * A connection pool. A connection that dies (server restart, network) emits `error`: on the pool
 * while idle, on the client itself while checked out for a query. Both are logged here, since an
 * unhandled `error` event would crash the process; the query in flight still fails on its own.
 */
export function createPostgresPool(
  settings: PostgresConnectionSettings,
  logger: StoreLogger,
): pg.Pool {
  const pool = new pg.Pool({
    ...postgresClientConfig(settings),
    max: settings.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE,
  });
  pool.on('error', (error) => {
    logger.warn({ err: error }, 'metadata store: an idle PostgreSQL connection failed');
  });
  pool.on('connect', (client) => {
    client.on('error', (error) => {
      logger.warn({ err: error }, 'metadata store: a PostgreSQL connection failed');
    });
  });
  return pool;
}
