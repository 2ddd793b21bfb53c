import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../kysely/database-tables.js';
import { KyselyMetadataStore, type MetadataStoreOptions } from '../kysely/kysely-metadata-store.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { SILENT_STORE_LOGGER } from '../store-logger.js';
import { PostgresChangeFeed, changeChannelName } from './postgres-change-feed.js';
import { POSTGRES_COLUMN_TYPES } from './postgres-column-types.js';
import { postgresClientConfig, type PostgresConnectionSettings } from './postgres-dialect.js';
import { classifyPostgresError } from './postgres-driver-errors.js';
import { openPostgresSchemaPool } from './postgres-schema-pool.js';

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
  const logger = options.logger ?? SILENT_STORE_LOGGER;
  const settings: PostgresConnectionSettings = { ...options, connectionString };
  const { pool, schema: currentSchema } = await openPostgresSchemaPool(settings, logger);
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
