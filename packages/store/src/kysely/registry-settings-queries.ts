import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './database-tables.js';

/** Key of this registry's id in `registry_settings`. */
const REGISTRY_ID_KEY = 'registry_id';

/**
 * This registry's id: read, or generated (`reg-<uuid>`) and inserted by the first caller.
 * Replicas starting together agree: the insert does nothing when a row exists, and everyone
 * reads the row that won.
 */
export async function ensureRegistryId(db: Kysely<Database>): Promise<string> {
  await db
    .insertInto('registry_settings')
    .values({ key: REGISTRY_ID_KEY, value: `reg-${randomUUID()}` })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('registry_settings')
    .select('value')
    .where('key', '=', REGISTRY_ID_KEY)
    .executeTakeFirstOrThrow();
  return row.value;
}
