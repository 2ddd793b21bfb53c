import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import { Kysely } from 'kysely';
import type { Database } from '../kysely/database-tables.js';
import { KyselyMetadataStore, type MetadataStoreOptions } from '../kysely/kysely-metadata-store.js';
import type { MetadataStore } from '../metadata/metadata-store.js';
import { SqliteChangeFeed } from './sqlite-change-feed.js';
import { SQLITE_COLUMN_TYPES } from './sqlite-column-types.js';
import {
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
  SqliteWriterDialect,
  openSqliteDatabase,
} from './sqlite-dialect.js';
import { classifySqliteError } from './sqlite-driver-errors.js';

/** Options of `openSqliteMetadataStore`. */
export interface SqliteMetadataStoreOptions extends MetadataStoreOptions {
  /** How long a write waits for another process's lock; defaults to `DEFAULT_SQLITE_BUSY_TIMEOUT_MS`. */
  readonly busyTimeoutMs?: number | undefined;
}

/**
 * Opens (creating if needed) a SQLite metadata store at `path`, or in memory for `:memory:`, and
 * applies pending migrations. `UNAVAILABLE` when the file cannot be opened.
 *
 * @example
 * const store = await openSqliteMetadataStore('./plugboard-data/plugboard.db');
 */
export async function openSqliteMetadataStore(
  path: string,
  options: SqliteMetadataStoreOptions = {},
): Promise<MetadataStore> {
  let database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    database = openSqliteDatabase(path, options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS);
  } catch (error) {
    throw new PlugboardError('UNAVAILABLE', `cannot open the SQLite database "${path}"`, {
      cause: error,
      details: { path },
    });
  }
  const db = new Kysely<Database>({ dialect: new SqliteWriterDialect({ database }) });
  return KyselyMetadataStore.open(
    {
      name: 'sqlite',
      db,
      columnTypes: SQLITE_COLUMN_TYPES,
      schema: undefined,
      changeFeed: new SqliteChangeFeed(),
      classifyError: classifySqliteError,
    },
    options,
  );
}
