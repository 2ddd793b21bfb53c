import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { Kysely, PostgresDialect } from 'kysely';
import { KyselyProviderStore, type ProviderStoreOptions } from './kysely/kysely-provider-store.js';
import type { ProviderTables } from './kysely/provider-tables.js';
import { parseMetadataStoreUrl } from './open-metadata-store.js';
import { POSTGRES_COLUMN_TYPES } from './postgres/postgres-column-types.js';
import type { PostgresConnectionSettings } from './postgres/postgres-dialect.js';
import { classifyPostgresError } from './postgres/postgres-driver-errors.js';
import { PostgresResourceBatchWriter } from './postgres/postgres-resource-batch-writer.js';
import { openPostgresSchemaPool } from './postgres/postgres-schema-pool.js';
import type { ProviderStore } from './providers/provider-store.js';
import { SQLITE_COLUMN_TYPES } from './sqlite/sqlite-column-types.js';
import {
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
  SqliteWriterDialect,
  openSqliteDatabase,
} from './sqlite/sqlite-dialect.js';
import { classifySqliteError } from './sqlite/sqlite-driver-errors.js';
import { SqliteResourceBatchWriter } from './sqlite/sqlite-resource-batch-writer.js';
import { SILENT_STORE_LOGGER } from './store-logger.js';

/** Options of `openProviderStore`; backend-specific ones apply only to their backend. */
export interface OpenProviderStoreOptions extends ProviderStoreOptions {
  readonly busyTimeoutMs?: number | undefined;
  readonly poolSize?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
}

/**
 * Opens the provider store on the database a URL names (the same URLs as `openMetadataStore`,
 * usually the same database) with connections of its own, and applies pending provider
 * migrations. Composition roots call this; everything else receives a `ProviderStore`.
 *
 * @example
 * const providers = await openProviderStore('sqlite:./plugboard-data/plugboard.db');
 */
export async function openProviderStore(
  url: string,
  options: OpenProviderStoreOptions = {},
): Promise<ProviderStore> {
  const location = parseMetadataStoreUrl(url);
  if (location.backend === 'sqlite') {
    let database;
    try {
      if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
      database = openSqliteDatabase(
        location.path,
        options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
      );
      // Collection runs write in many small transactions; in WAL mode NORMAL syncs at
      // checkpoints instead of at every commit. A power cut may lose the last few batches, which
      // the next run collects again; it cannot corrupt the file. This connection only.
      if (location.path !== ':memory:') database.pragma('synchronous = NORMAL');
    } catch (error) {
      throw new PlugboardError(
        'UNAVAILABLE',
        `cannot open the SQLite database "${location.path}"`,
        {
          cause: error,
          details: { path: location.path },
        },
      );
    }
    const db = new Kysely<ProviderTables>({ dialect: new SqliteWriterDialect({ database }) });
    return KyselyProviderStore.open(
      {
        name: 'sqlite',
        db,
        columnTypes: SQLITE_COLUMN_TYPES,
        schema: undefined,
        resourceWriter: new SqliteResourceBatchWriter(db, database),
        classifyError: classifySqliteError,
      },
      options,
    );
  }
  const settings: PostgresConnectionSettings = {
    connectionString: location.connectionString,
    schema: location.schema,
    poolSize: options.poolSize,
    connectTimeoutMs: options.connectTimeoutMs,
  };
  const { pool, schema: currentSchema } = await openPostgresSchemaPool(
    settings,
    options.logger ?? SILENT_STORE_LOGGER,
  );
  const db = new Kysely<ProviderTables>({ dialect: new PostgresDialect({ pool }) });
  return KyselyProviderStore.open(
    {
      name: 'postgres',
      db,
      columnTypes: POSTGRES_COLUMN_TYPES,
      schema: currentSchema,
      resourceWriter: new PostgresResourceBatchWriter(db),
      classifyError: classifyPostgresError,
    },
    options,
  );
}
