import type { Kysely } from 'kysely';
import type { CreateDomainInput, Domain } from '../metadata/domain-record.js';
import { assertDomainId, assertText } from '../metadata/validate-store-input.js';
import type { Database } from './database-tables.js';
import { toDomain } from './row-mapping.js';
import type { WriteContext } from './write-context.js';

/** Inserts a domain; the id defaults to `domain-` and 12 random hex digits. */
export async function insertDomain(
  context: WriteContext,
  input: CreateDomainInput,
  generatedId: string,
): Promise<Domain> {
  const id = input.id ?? generatedId;
  assertDomainId(id);
  assertText('name', input.name);
  const row = { id, name: input.name, created_at: context.now };
  await context.trx.insertInto('domains').values(row).execute();
  context.changes.push({ entity: 'domain', action: 'created', domainId: id, key: id });
  return toDomain(row);
}

/** The domain with this id, if any. */
export async function selectDomain(db: Kysely<Database>, id: string): Promise<Domain | undefined> {
  const row = await db.selectFrom('domains').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toDomain(row);
}

/** Every domain, by id. */
export async function selectDomains(db: Kysely<Database>): Promise<Domain[]> {
  const rows = await db.selectFrom('domains').selectAll().orderBy('id', 'asc').execute();
  return rows.map((row) => toDomain(row));
}
