import { sql, type Kysely, type Migration } from 'kysely';
import type { MetadataBackendName } from '../../metadata/metadata-store.js';

/**
 * PostgreSQL: `resources` pages are filled to half at insert, so that a collection run's rewrite
 * of a resource (every seen resource gets its `last_seen_*`, unchanged or not) fits in the same
 * page as a heap-only tuple: no new entry in any of the table's indexes, and the previous run's
 * versions are pruned page by page as the next run reaches them, so the table and its indexes keep
 * their size from run to run even where autovacuum is off or behind. Without it every
 * re-collection moved each row to a new page and added an entry to every index. Rows stored
 * before this migration keep their pages until the table is rewritten (`VACUUM FULL resources`).
 * SQLite rewrites rows in place and has no such setting.
 */
export function resourcesFillfactorMigration(backend: MetadataBackendName): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (backend !== 'postgres') return;
      await sql`alter table resources set (fillfactor = 50)`.execute(db);
    },
  };
}
