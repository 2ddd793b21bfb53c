import { PlugboardError } from '@plugboard/core';
import type pg from 'pg';
import { translateDriverError } from '../kysely/translate-driver-error.js';
import type { StoreLogger } from '../store-logger.js';
import {
  POSTGRES_SCHEMA_PATTERN,
  createPostgresPool,
  type PostgresConnectionSettings,
} from './postgres-dialect.js';
import { classifyPostgresError } from './postgres-driver-errors.js';

const SCHEMA_REGEXP = new RegExp(POSTGRES_SCHEMA_PATTERN);

/** SQLSTATEs of losing the race when replicas create the same schema at once. */
const SCHEMA_RACE_SQLSTATES = new Set(['23505', '42P06']);

/** A pool whose connections work in `schema`, the schema they resolved to. */
export interface PostgresSchemaPool {
  readonly pool: pg.Pool;
  readonly schema: string;
}

/**
 * Opens a pool and reaches the database once, so a wrong URL fails at start with UNAVAILABLE:
 * checks the schema name, creates `settings.schema` when given and missing, and returns the schema
 * the connections resolve to. CONFIG_INVALID when no schema of the search_path exists.
 */
export async function openPostgresSchemaPool(
  settings: PostgresConnectionSettings,
  logger: StoreLogger,
): Promise<PostgresSchemaPool> {
  const { schema } = settings;
  if (schema !== undefined && !SCHEMA_REGEXP.test(schema)) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `PostgreSQL schema ${JSON.stringify(schema)} must match ${POSTGRES_SCHEMA_PATTERN}`,
      { details: { field: 'schema' } },
    );
  }
  const pool = createPostgresPool(settings, logger);
  let currentSchema: string | null | undefined;
  try {
    const client = await pool.connect();
    try {
      if (schema !== undefined) await createSchemaIfMissing(client, schema);
      const result = await client.query<{ schema: string | null }>(
        'select current_schema() as schema',
      );
      currentSchema = result.rows[0]?.schema;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw translateDriverError(error, classifyPostgresError(error), 'connect to PostgreSQL');
  }
  if (currentSchema === null || currentSchema === undefined) {
    await pool.end().catch(() => undefined);
    throw new PlugboardError(
      'CONFIG_INVALID',
      'no schema of the PostgreSQL search_path exists; create one or pass ?schema=NAME',
      { details: { field: 'schema' } },
    );
  }
  return { pool, schema: currentSchema };
}

/** `create schema if not exists`, which is not atomic: a concurrent creator may still win. */
async function createSchemaIfMissing(client: pg.PoolClient, schema: string): Promise<void> {
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !SCHEMA_RACE_SQLSTATES.has(code)) throw error;
  }
}
