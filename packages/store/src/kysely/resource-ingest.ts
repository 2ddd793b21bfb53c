import { createHash } from 'node:crypto';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { MetadataBackendName } from '../metadata/metadata-store.js';
import type { JsonObject } from '../metadata/plugin-record.js';
import type { IngestCounts, IngestTarget, ResourceInput } from '../providers/resource-record.js';
import { canonicalJson } from './canonical-json.js';
import { timeOrderedId } from './time-ordered-id.js';
import type { ResourceDriftTable, ResourcesTable } from './provider-tables.js';
import type { ProviderWriteContext } from './provider-write-context.js';

/**
 * Rows per multi-row statement: 17 columns × 500 rows stays far below SQLite's 32,766 and
 * PostgreSQL's 65,535 bound parameters.
 */
const ROWS_PER_STATEMENT = 500;

/** A resource as it will be stored, with the fingerprint of its tracked content. */
interface PreparedResource {
  readonly input: ResourceInput;
  readonly propertiesJson: string;
  readonly relationshipsJson: string;
  readonly tagsJson: string;
  readonly fingerprint: string;
}

type ExistingRow = Selectable<ResourcesTable>;

/** What is read of every resource of a batch; whole rows only for the ones that changed. */
type ExistingKey = Pick<ExistingRow, 'id' | 'ems_ref' | 'fingerprint' | 'deleted_at'>;

function prepare(input: ResourceInput): PreparedResource {
  const properties = input.properties ?? {};
  const relationships = (input.relationships ?? []).map((link) => ({
    type: link.type,
    target_ems_ref: link.targetEmsRef,
  }));
  const tags = input.tags ?? {};
  const tracked = canonicalJson([
    input.resourceType,
    input.name,
    input.state ?? null,
    input.parentEmsRef ?? null,
    properties,
    relationships,
    tags,
  ]);
  return {
    input,
    propertiesJson: JSON.stringify(properties),
    relationshipsJson: JSON.stringify(relationships),
    tagsJson: JSON.stringify(tags),
    fingerprint: createHash('sha1').update(tracked).digest('base64'),
  };
}

function chunks<T>(items: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

/**
 * Upserts one batch by (provider, ems_ref): new ones are inserted, unchanged ones (same
 * fingerprint, not deleted) only get `last_seen_*`, changed or deleted ones are rewritten with a
 * drift row per tracked field that differs.
 */
export async function ingestBatch(
  context: ProviderWriteContext,
  target: IngestTarget,
  resources: readonly ResourceInput[],
  backend: MetadataBackendName,
): Promise<IngestCounts> {
  const byRef = new Map<string, PreparedResource>();
  for (const resource of resources) byRef.set(resource.emsRef, prepare(resource));
  if (byRef.size === 0) return { created: 0, updated: 0, unchanged: 0 };

  const { trx, now } = context;
  const existing = new Map<string, ExistingKey>();
  for (const refs of chunks([...byRef.keys()])) {
    const rows = await trx
      .selectFrom('resources')
      .select(['id', 'ems_ref', 'fingerprint', 'deleted_at'])
      .where('provider_id', '=', target.providerId)
      .where('ems_ref', 'in', refs)
      .execute();
    for (const row of rows) existing.set(row.ems_ref, row);
  }
  const changedIds = [...byRef.values()].flatMap((prepared) => {
    const row = existing.get(prepared.input.emsRef);
    return row !== undefined &&
      (row.fingerprint !== prepared.fingerprint || row.deleted_at !== null)
      ? [row.id]
      : [];
  });
  const changedRows = new Map<string, ExistingRow>();
  for (const ids of chunks(changedIds)) {
    const rows = await trx.selectFrom('resources').selectAll().where('id', 'in', ids).execute();
    for (const row of rows) changedRows.set(row.id, row);
  }

  const inserts: Insertable<ResourcesTable>[] = [];
  const unchangedIds: string[] = [];
  const drift: Insertable<ResourceDriftTable>[] = [];
  let updated = 0;
  for (const prepared of byRef.values()) {
    const key = existing.get(prepared.input.emsRef);
    const row = key === undefined ? undefined : changedRows.get(key.id);
    if (key === undefined) {
      inserts.push(newRow(target, prepared, now));
    } else if (row === undefined) {
      unchangedIds.push(key.id);
    } else {
      updated += 1;
      drift.push(...driftRows(row, prepared, target.runId, now));
      await trx
        .updateTable('resources')
        .set({
          resource_type: prepared.input.resourceType,
          name: prepared.input.name,
          state: prepared.input.state ?? null,
          properties_json: prepared.propertiesJson,
          relationships_json: prepared.relationshipsJson,
          parent_ems_ref: prepared.input.parentEmsRef ?? null,
          tags_json: prepared.tagsJson,
          fingerprint: prepared.fingerprint,
          last_seen_at: now,
          last_seen_run_id: target.runId,
          updated_at: now,
          deleted_at: null,
        })
        .where('id', '=', row.id)
        .execute();
    }
  }
  for (const rows of chunks(inserts)) {
    if (backend === 'postgres') await insertUnnested(context, rows);
    else await trx.insertInto('resources').values(rows).execute();
  }
  for (const ids of chunks(unchangedIds)) {
    await trx
      .updateTable('resources')
      .set({ last_seen_at: now, last_seen_run_id: target.runId })
      .where('id', 'in', ids)
      .execute();
  }
  for (const rows of chunks(drift)) {
    // The same ems_ref may come twice in one run (in different batches): keep the latest change.
    await trx
      .insertInto('resource_drift')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['resource_id', 'run_id', 'field']).doUpdateSet((eb) => ({
          new_value_json: eb.ref('excluded.new_value_json'),
          changed_at: eb.ref('excluded.changed_at'),
        })),
      )
      .execute();
  }
  return { created: inserts.length, updated, unchanged: unchangedIds.length };
}

/** Every column of `resources`, in insert order. */
const RESOURCE_COLUMNS = [
  'id',
  'domain_id',
  'provider_id',
  'ems_ref',
  'resource_type',
  'name',
  'state',
  'properties_json',
  'relationships_json',
  'parent_ems_ref',
  'tags_json',
  'fingerprint',
  'first_seen_at',
  'last_seen_at',
  'last_seen_run_id',
  'updated_at',
  'deleted_at',
] as const;

/**
 * PostgreSQL: one array parameter per column and `unnest`, so a batch is a 17-parameter statement
 * PostgreSQL parses and plans quickly, instead of one with 17 × 500 parameters.
 */
async function insertUnnested(
  context: ProviderWriteContext,
  rows: readonly Insertable<ResourcesTable>[],
): Promise<void> {
  const arrays = RESOURCE_COLUMNS.map(
    (column) => sql`${rows.map((row) => row[column] ?? null)}::text[]`,
  );
  await context.trx
    .insertInto('resources')
    .columns([...RESOURCE_COLUMNS])
    .expression(sql<never>`select * from unnest(${sql.join(arrays)})`)
    .execute();
}

function newRow(
  target: IngestTarget,
  prepared: PreparedResource,
  now: string,
): Insertable<ResourcesTable> {
  const { input } = prepared;
  return {
    id: timeOrderedId(),
    domain_id: target.domainId,
    provider_id: target.providerId,
    ems_ref: input.emsRef,
    resource_type: input.resourceType,
    name: input.name,
    state: input.state ?? null,
    properties_json: prepared.propertiesJson,
    relationships_json: prepared.relationshipsJson,
    parent_ems_ref: input.parentEmsRef ?? null,
    tags_json: prepared.tagsJson,
    fingerprint: prepared.fingerprint,
    first_seen_at: now,
    last_seen_at: now,
    last_seen_run_id: target.runId,
    updated_at: now,
    deleted_at: null,
  };
}

/** JSON text of a drift value; null for an absent one. */
function driftValue(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function driftRows(
  row: ExistingRow,
  prepared: PreparedResource,
  runId: string,
  now: string,
): Insertable<ResourceDriftTable>[] {
  const rows: Insertable<ResourceDriftTable>[] = [];
  const add = (field: string, oldValue: unknown, newValue: unknown): void => {
    rows.push({
      resource_id: row.id,
      run_id: runId,
      field,
      old_value_json: driftValue(oldValue),
      new_value_json: driftValue(newValue),
      changed_at: now,
    });
  };
  const { input } = prepared;
  if (row.deleted_at !== null) add('deleted', true, false);
  if (row.fingerprint === prepared.fingerprint) return rows;
  const scalars: [string, string | null, string | null][] = [
    ['resource_type', row.resource_type, input.resourceType],
    ['name', row.name, input.name],
    ['state', row.state, input.state ?? null],
    ['parent_ems_ref', row.parent_ems_ref, input.parentEmsRef ?? null],
  ];
  for (const [field, before, after] of scalars) if (before !== after) add(field, before, after);
  const oldTags = JSON.parse(row.tags_json) as unknown;
  if (canonicalJson(oldTags) !== canonicalJson(input.tags ?? {})) {
    add('tags', oldTags, input.tags ?? {});
  }
  const oldLinks = JSON.parse(row.relationships_json) as unknown;
  const newLinks = JSON.parse(prepared.relationshipsJson) as unknown;
  if (canonicalJson(oldLinks) !== canonicalJson(newLinks)) add('relationships', oldLinks, newLinks);
  const before = JSON.parse(row.properties_json) as JsonObject;
  const after = input.properties ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of [...keys].sort()) {
    if (canonicalJson(before[key]) !== canonicalJson(after[key])) {
      add(`properties.${key}`, before[key], after[key]);
    }
  }
  return rows;
}

/** Soft-deletes resources the run did not see, with a `deleted` drift row each. */
export async function softDeleteUnseen(
  context: ProviderWriteContext,
  target: IngestTarget,
  resourceTypes: readonly string[] | undefined,
): Promise<number> {
  const { trx, now } = context;
  const unseen = trx
    .selectFrom('resources')
    .where('provider_id', '=', target.providerId)
    .where('deleted_at', 'is', null)
    .where('last_seen_run_id', '<>', target.runId)
    .$if(resourceTypes !== undefined, (qb) => qb.where('resource_type', 'in', resourceTypes ?? []));
  await trx
    .insertInto('resource_drift')
    .columns(['resource_id', 'run_id', 'field', 'old_value_json', 'new_value_json', 'changed_at'])
    .expression(
      unseen.select((eb) => [
        'id',
        eb.val(target.runId).as('run_id'),
        eb.val('deleted').as('field'),
        eb.val('false').as('old_value_json'),
        eb.val('true').as('new_value_json'),
        eb.val(now).as('changed_at'),
      ]),
    )
    .onConflict((oc) => oc.doNothing())
    .execute();
  const result = await trx
    .updateTable('resources')
    .set({ deleted_at: now, updated_at: now })
    .where('provider_id', '=', target.providerId)
    .where('deleted_at', 'is', null)
    .where('last_seen_run_id', '<>', target.runId)
    .$if(resourceTypes !== undefined, (qb) => qb.where('resource_type', 'in', resourceTypes ?? []))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
