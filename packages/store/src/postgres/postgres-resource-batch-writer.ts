import { sql, type Kysely, type Transaction } from 'kysely';
import type { IngestCounts, IngestTarget } from '../providers/resource-record.js';
import type { ProviderTables, ResourceDriftTable } from '../kysely/provider-tables.js';
import type { PreparedResource } from '../kysely/resource-content.js';
import { driftRows, type StoredResourceContent } from '../kysely/resource-drift.js';
import { providerGone, type ResourceBatchWriter } from '../kysely/resource-ingest.js';
import { timeOrderedId } from '../kysely/time-ordered-id.js';

/** What the upsert statement answers: one row, whatever the batch size. */
interface UpsertResult {
  readonly created: number;
  readonly written: number;
  /** The rows as they were before, of the resources that changed or came back. */
  readonly previous: (StoredResourceContent & { readonly ems_ref: string })[];
  /** False when the provider is gone: then nothing was written. */
  readonly provider_found: boolean;
}

/**
 * PostgreSQL: a batch is one upsert statement, plus one drift insert when something changed,
 * whatever the batch size. The rows travel as one JSON parameter that `jsonb_array_elements`
 * turns back into rows, so the statement has a handful of parameters to parse and plan instead of
 * thousands, and the driver has no arrays of strings to escape.
 * `ON CONFLICT (provider_id, ems_ref) DO UPDATE` writes new and seen resources alike; `xmax = 0`
 * tells the inserted ones; a CTE reads the changed ones as they were (every part of one statement
 * sees the same snapshot), for their drift. That read is a lateral lookup per input row (its
 * `limit 1` keeps the planner from flattening it into a join), so it is one index probe per row
 * whatever the planner believes of the table's size: the hash join over all the provider's rows
 * that a table without fresh statistics gets grows with every batch (11.7k/s → 3.3k/s along
 * 200,000 resources).
 *
 * The provider row is locked once per batch (`FOR KEY SHARE`, as a foreign key check would for
 * every row; `resources` has no foreign key on PostgreSQL, see migration 0003), so a provider
 * cannot be deleted under a batch, and a batch for a deleted provider writes nothing and fails
 * with `NOT_FOUND`.
 *
 * Ingest transactions commit without waiting for the WAL flush (`synchronous_commit = off`, this
 * transaction only): a crash may lose the last few batches of a run, never corrupt anything, and a
 * crashed run is failed and collected again. SQLite's `synchronous = NORMAL` makes the same trade.
 */
export class PostgresResourceBatchWriter implements ResourceBatchWriter {
  readonly #db: Kysely<ProviderTables>;

  constructor(db: Kysely<ProviderTables>) {
    this.#db = db;
  }

  async write(
    target: IngestTarget,
    batch: readonly PreparedResource[],
    now: string,
  ): Promise<IngestCounts> {
    return this.#db.transaction().execute(async (trx) => {
      const result = await upsert(trx, target, batch, now);
      if (result.previous.length > 0) {
        const byRef = new Map(batch.map((prepared) => [prepared.input.emsRef, prepared]));
        const drift = result.previous.flatMap((row) => {
          const prepared = byRef.get(row.ems_ref);
          return prepared === undefined ? [] : driftRows(row, prepared, target.runId, now);
        });
        if (drift.length > 0) await insertDrift(trx, drift);
      }
      const updated = result.previous.length;
      return {
        created: result.created,
        updated,
        unchanged: result.written - result.created - updated,
      };
    });
  }
}

/** A lone surrogate's `\uXXXX` escape in JSON text, not itself behind an escaped backslash. */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(d[89a-f][0-9a-f]{2})/gi;

/**
 * JSON text PostgreSQL accepts: `JSON.stringify` writes a lone UTF-16 surrogate (not valid
 * Unicode, but a JavaScript string may hold one) as an escape PostgreSQL refuses, so each becomes
 * U+FFFD — what the driver made of one in a text parameter, and what SQLite stores.
 */
function postgresJsonText(json: string): string {
  if (!/\\ud[89a-f]/i.test(json)) return json;
  return json.replace(
    LONE_SURROGATE_ESCAPE,
    (_match, backslashes: string) => `${backslashes}\\ufffd`,
  );
}

/**
 * The batch as one JSON array of arrays (one per resource, its columns in `input`'s order), for
 * `jsonb_array_elements`: jsonb is parsed once into a form whose elements are read by position,
 * which costs PostgreSQL about half of what `json_to_recordset` or `unnest` of text arrays do.
 */
function batchJson(batch: readonly PreparedResource[]): string {
  return postgresJsonText(
    JSON.stringify(
      batch.map((prepared) => [
        timeOrderedId(),
        prepared.input.emsRef,
        prepared.input.resourceType,
        prepared.input.name,
        prepared.state,
        prepared.propertiesJson,
        prepared.relationshipsJson,
        prepared.parentEmsRef,
        prepared.tagsJson,
        prepared.fingerprint,
      ]),
    ),
  );
}

async function upsert(
  trx: Transaction<ProviderTables>,
  target: IngestTarget,
  batch: readonly PreparedResource[],
  now: string,
): Promise<UpsertResult> {
  const { runId, domainId, providerId } = target;
  const result = await sql<UpsertResult>`
    with provider as (
      select id from providers where id = ${providerId}::text for key share
    ),
    input as (
      select item->>0 as id, item->>1 as ems_ref, item->>2 as resource_type, item->>3 as name,
             item->>4 as state, item->>5 as properties_json, item->>6 as relationships_json,
             item->>7 as parent_ems_ref, item->>8 as tags_json, item->>9 as fingerprint
      from jsonb_array_elements(${batchJson(batch)}::jsonb) as item
    ),
    previous as (
      select r.id, r.ems_ref, r.resource_type, r.name, r.state, r.parent_ems_ref,
             r.properties_json, r.relationships_json, r.tags_json, r.fingerprint, r.deleted_at
      from input i
      cross join lateral (
        select * from resources
        where resources.provider_id = ${providerId}::text and resources.ems_ref = i.ems_ref
        limit 1
      ) r
      where r.fingerprint <> i.fingerprint or r.deleted_at is not null
    ),
    written as (
      insert into resources (id, domain_id, provider_id, ems_ref, resource_type, name, state,
        properties_json, relationships_json, parent_ems_ref, tags_json, fingerprint,
        first_seen_at, last_seen_at, last_seen_run_id, updated_at, deleted_at)
      select id, ${domainId}::text, ${providerId}::text, ems_ref, resource_type, name, state,
        properties_json, relationships_json, parent_ems_ref, tags_json, fingerprint,
        ${now}::text, ${now}::text, ${runId}::text, ${now}::text, null
      from input
      where exists (select 1 from provider)
      on conflict (provider_id, ems_ref) do update set
        resource_type = excluded.resource_type,
        name = excluded.name,
        state = excluded.state,
        properties_json = excluded.properties_json,
        relationships_json = excluded.relationships_json,
        parent_ems_ref = excluded.parent_ems_ref,
        tags_json = excluded.tags_json,
        fingerprint = excluded.fingerprint,
        last_seen_at = excluded.last_seen_at,
        last_seen_run_id = excluded.last_seen_run_id,
        updated_at = case
          when resources.fingerprint = excluded.fingerprint and resources.deleted_at is null
          then resources.updated_at
          else excluded.updated_at
        end,
        deleted_at = null
      returning (xmax = 0) as inserted
    )
    select
      (count(*) filter (where inserted))::int as created,
      count(*)::int as written,
      (select coalesce(json_agg(previous), '[]'::json) from previous) as previous,
      exists (select 1 from provider) as provider_found,
      (select set_config('synchronous_commit', 'off', true)) as commit_mode
    from written
  `.execute(trx);
  const [row] = result.rows;
  if (row === undefined || !row.provider_found) throw providerGone(providerId);
  return row;
}

async function insertDrift(
  trx: Transaction<ProviderTables>,
  drift: readonly ResourceDriftTable[],
): Promise<void> {
  // One batch holds each resource once, so no (resource, run, field) comes twice here; a resource
  // seen twice in one run meets its earlier drift row, and the latest change wins.
  await sql`
    insert into resource_drift (resource_id, run_id, field, old_value_json, new_value_json,
      changed_at)
    select * from json_to_recordset(${postgresJsonText(JSON.stringify(drift))}::json)
      as t(resource_id text, run_id text, field text, old_value_json text, new_value_json text,
           changed_at text)
    on conflict (resource_id, run_id, field) do update
      set new_value_json = excluded.new_value_json, changed_at = excluded.changed_at
  `.execute(trx);
}
