import { sql, type Kysely, type Migration } from 'kysely';
import type { MetadataBackendName } from '../../metadata/metadata-store.js';

/**
 * PostgreSQL: `resources.provider_id` loses its foreign key. PostgreSQL checks a foreign key with
 * a trigger per inserted row that locks the provider row again each time — a quarter to a third
 * of a collection batch's insert time, to lock the same row 500 times. The ingest statement now
 * takes that lock once per batch (`FOR KEY SHARE` on the provider, and writes nothing when the
 * provider is gone), and deleting a provider deletes its resources itself, after the provider row
 * (so an ingest that held the lock has committed, and its rows are seen and deleted). SQLite
 * checks the key with one index probe per row and keeps its foreign key.
 */
export function resourcesProviderLockMigration(backend: MetadataBackendName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (backend !== 'postgres') return;
      await sql`alter table resources drop constraint if exists resources_provider_id_fkey`.execute(
        db,
      );
    },
  };
}
