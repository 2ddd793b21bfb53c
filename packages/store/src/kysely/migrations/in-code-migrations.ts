import type { Migration, MigrationProvider } from 'kysely';
import type { ColumnTypes } from '../column-types.js';
import { initialSchemaMigration } from './0001-initial-schema.js';
import { registryIdentityAndSealedTokensMigration } from './0002-registry-identity-sealed-tokens.js';

/** Name of the table recording applied migrations. */
export const MIGRATION_TABLE = 'plugboard_migration';

/** Name of the table Kysely locks while migrating, so replicas starting together migrate once. */
export const MIGRATION_LOCK_TABLE = 'plugboard_migration_lock';

/**
 * Every migration, in order. Names sort in the order they must run; a released migration is never
 * edited, only followed by a new one.
 */
export function listMigrations(types: ColumnTypes): Record<string, Migration> {
  return {
    '0001-initial-schema': initialSchemaMigration(types),
    '0002-registry-identity-sealed-tokens': registryIdentityAndSealedTokensMigration(types),
  };
}

/** A Kysely `MigrationProvider` over the in-code list (no directory scanning at run time). */
export class InCodeMigrationProvider implements MigrationProvider {
  readonly #types: ColumnTypes;

  constructor(types: ColumnTypes) {
    this.#types = types;
  }

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(listMigrations(this.#types));
  }
}
