import { Migrator } from 'kysely';
import type { StoreLogger } from '../store-logger.js';
import type { MetadataBackend } from './metadata-backend.js';
import {
  InCodeMigrationProvider,
  MIGRATION_LOCK_TABLE,
  MIGRATION_TABLE,
} from './migrations/in-code-migrations.js';
import { migrateToLatest } from './migrations/migrate-to-latest.js';

/** Applies every pending in-code migration with Kysely's `Migrator`; returns the names applied. */
export async function runMigrations(
  parts: MetadataBackend,
  logger: StoreLogger,
): Promise<string[]> {
  const applied = await migrateToLatest(
    () =>
      new Migrator({
        db: parts.db,
        provider: new InCodeMigrationProvider(parts.columnTypes),
        migrationTableName: MIGRATION_TABLE,
        migrationLockTableName: MIGRATION_LOCK_TABLE,
        ...(parts.schema === undefined ? {} : { migrationTableSchema: parts.schema }),
      }),
  );
  if (applied.length > 0) logger.info({ applied }, 'metadata store migrated');
  return applied;
}
