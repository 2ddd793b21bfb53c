import type { Migrator } from 'kysely';

/** Attempts at a migration that lost a race with another schema being dropped. */
const MIGRATION_ATTEMPTS = 4;
/** Pause between those attempts, in milliseconds. */
const MIGRATION_RETRY_DELAY_MS = 100;
/** PostgreSQL's SQLSTATE for "schema … does not exist". */
const INVALID_SCHEMA_NAME = '3F000';

/**
 * Runs `migrator.migrateToLatest()` and returns the names of the migrations it applied.
 *
 * Kysely's migrator looks for its tables with a catalog-wide introspection query that calls
 * `pg_get_serial_sequence` on every table of every schema. When another schema of the same
 * database is dropped while that query runs, PostgreSQL fails it with 3F000 naming the OTHER
 * schema. That is a transient race (seen when test suites or apps share a database), so it is
 * retried; any other failure is thrown at once.
 */
export async function migrateToLatest(createMigrator: () => Migrator): Promise<string[]> {
  for (let attempt = 1; ; attempt += 1) {
    const { error, results = [] } = await createMigrator().migrateToLatest();
    if (error === undefined) {
      return results
        .filter((result) => result.status === 'Success')
        .map((result) => result.migrationName);
    }
    const code = (error as { code?: unknown }).code;
    if (code !== INVALID_SCHEMA_NAME || attempt >= MIGRATION_ATTEMPTS) {
      throw error instanceof Error ? error : new Error('migration failed', { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, MIGRATION_RETRY_DELAY_MS * attempt));
  }
}
