import { migrateToLatest } from './migrate-to-latest.js';
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { ColumnTypes } from '../column-types.js';
import type { MetadataBackendName } from '../../metadata/metadata-store.js';
import { providersMigration } from './provider-0001-providers.js';
import { resourcesFillfactorMigration } from './provider-0002-resources-fillfactor.js';
import { resourcesProviderLockMigration } from './provider-0003-resources-provider-lock.js';

/**
 * The provider store's migrations have their own table, so the metadata store's migration list
 * (and the tests that pin it) stay as they are; both run at open on the same database.
 */
export const PROVIDER_MIGRATION_TABLE = 'plugboard_provider_migration';

/** Lock table of the provider migrations: replicas starting together migrate once. */
export const PROVIDER_MIGRATION_LOCK_TABLE = 'plugboard_provider_migration_lock';

/** Every provider-store migration, in order; a released one is never edited. */
export function listProviderMigrations(
  types: ColumnTypes,
  backend: MetadataBackendName,
): Record<string, Migration> {
  return {
    '0001-providers-runs-resources': providersMigration(types),
    '0002-resources-fillfactor': resourcesFillfactorMigration(backend),
    '0003-resources-provider-lock': resourcesProviderLockMigration(backend),
  };
}

class ProviderMigrationProvider implements MigrationProvider {
  readonly #types: ColumnTypes;
  readonly #backend: MetadataBackendName;

  constructor(types: ColumnTypes, backend: MetadataBackendName) {
    this.#types = types;
    this.#backend = backend;
  }

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(listProviderMigrations(this.#types, this.#backend));
  }
}

/** Applies pending provider migrations; returns the names applied. */
export async function runProviderMigrations(
  db: Kysely<unknown>,
  types: ColumnTypes,
  schema: string | undefined,
  backend: MetadataBackendName,
): Promise<string[]> {
  return migrateToLatest(
    () =>
      new Migrator({
        db,
        provider: new ProviderMigrationProvider(types, backend),
        migrationTableName: PROVIDER_MIGRATION_TABLE,
        migrationLockTableName: PROVIDER_MIGRATION_LOCK_TABLE,
        ...(schema === undefined ? {} : { migrationTableSchema: schema }),
      }),
  );
}
