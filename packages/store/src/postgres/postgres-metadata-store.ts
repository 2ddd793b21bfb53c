import { PlugboardError } from '@plugboard/core';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Database } from '../kysely/database-tables.js';
import { KyselyMetadataStore, type MetadataStoreOptions } from '../kysely/kysely-metadata-store.js';
import { translateDriverError } from '../kysely/translate-driver-error.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { SILENT_STORE_LOGGER } from '../store-logger.js';
import { PostgresChangeFeed, changeChannelName } from './postgres-change-feed.js';
import { POSTGRES_COLUMN_TYPES } from './postgres-column-types.js';
import {
  POSTGRES_SCHEMA_PATTERN,
  createPostgresPool,
  postgresClientConfig,
  type PostgresConnectionSettings,
} from './postgres-dialect.js';
import { classifyPostgresError } from './postgres-driver-errors.js';

const SCHEMA_REGEXP = new RegExp(POSTGRES_SCHEMA_PATTERN);

/** Options of `openPostgresMetadataStore`. */
export interface PostgresMetadataStoreOptions
  extends MetadataStoreOptions, Omit<PostgresConnectionSettings, 'connectionString'> {}

/**
 * Connects to PostgreSQL, creates `options.schema` when given and missing, applies pending
 * migrations (replicas starting together migrate once, under Kysely's advisory lock) and starts
 * listening for other replicas' changes. `UNAVAILABLE` when the database cannot be reached.
 *
 * @example
 * const store = await openPostgresMetadataStore('postgres://plugboard@db:5432/plugboard');
 */
export async function openPostgresMetadataStore(
  connectionString: string,
  options: PostgresMetadataStoreOptions = {},
): Promise<MetadataStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_REGEXP.test(schema)) {
    throw new PlugboardError(
      'CONFIG_INVALID',
      `PostgreSQL schema ${JSON.stringify(schema)} must match ${POSTGRES_SCHEMA_PATTERN}`,
      { details: { field: 'schema' } },
    );
  }
  const logger = options.logger ?? SILENT_STORE_LOGGER;
  const settings: PostgresConnectionSettings = { ...options, connectionString };
  const pool = createPostgresPool(settings, logger);
  let currentSchema: string | null | undefined;
  try {
    // Reach the database once here, so a wrong URL fails at start with UNAVAILABLE.
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return KyselyMetadataStore.open(
    {
      name: 'postgres',
      db,
      columnTypes: POSTGRES_COLUMN_TYPES,
      schema: currentSchema,
      changeFeed: new PostgresChangeFeed(
        postgresClientConfig(settings),
        changeChannelName(schema),
        logger,
      ),
      classifyError: classifyPostgresError,
    },
    options,
  );
}

/** SQLSTATEs of losing the race when replicas create the same schema at once. */
const SCHEMA_RACE_SQLSTATES = new Set(['23505', '42P06']);

/** `create schema if not exists`, which is not atomic: a concurrent creator may still win. */
async function createSchemaIfMissing(client: pg.PoolClient, schema: string): Promise<void> {
  try {
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !SCHEMA_RACE_SQLSTATES.has(code)) throw error;
  }
}
