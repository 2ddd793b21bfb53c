import { PlugboardError } from '@plugboard/core';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { IngestCounts, IngestTarget } from '../providers/resource-record.js';
import type { ProviderTables } from '../kysely/provider-tables.js';
import type { PreparedResource } from '../kysely/resource-content.js';
import { driftRows, type StoredResourceContent } from '../kysely/resource-drift.js';
import type { ResourceBatchWriter } from '../kysely/resource-ingest.js';
import { timeOrderedId } from '../kysely/time-ordered-id.js';

/** The statements of the hot loop, prepared once per connection and reused for every row. */
interface IngestStatements {
  /** Marks a resource seen when it is stored, live, with this fingerprint; 1 change = unchanged. */
  readonly touchUnchanged: BetterSqlite3.Statement<unknown[]>;
  /** Inserts a resource unless its (provider, ems_ref) is stored; 1 change = created. */
  readonly insertNew: BetterSqlite3.Statement<unknown[]>;
  readonly selectStored: BetterSqlite3.Statement<unknown[], StoredResourceContent>;
  readonly rewriteChanged: BetterSqlite3.Statement<unknown[]>;
  readonly upsertDrift: BetterSqlite3.Statement<unknown[]>;
}

function prepareStatements(database: BetterSqlite3.Database): IngestStatements {
  return {
    touchUnchanged: database.prepare(
      `update resources set last_seen_at = ?, last_seen_run_id = ?
       where provider_id = ? and ems_ref = ? and fingerprint = ? and deleted_at is null`,
    ),
    insertNew: database.prepare(
      `insert into resources (id, domain_id, provider_id, ems_ref, resource_type, name, state,
         properties_json, relationships_json, parent_ems_ref, tags_json, fingerprint,
         first_seen_at, last_seen_at, last_seen_run_id, updated_at, deleted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)
       on conflict (provider_id, ems_ref) do nothing`,
    ),
    selectStored: database.prepare<unknown[], StoredResourceContent>(
      `select id, resource_type, name, state, parent_ems_ref, properties_json, relationships_json,
         tags_json, fingerprint, deleted_at
       from resources where provider_id = ? and ems_ref = ?`,
    ),
    rewriteChanged: database.prepare(
      `update resources set resource_type = ?, name = ?, state = ?, properties_json = ?,
         relationships_json = ?, parent_ems_ref = ?, tags_json = ?, fingerprint = ?,
         last_seen_at = ?, last_seen_run_id = ?, updated_at = ?, deleted_at = null
       where id = ?`,
    ),
    upsertDrift: database.prepare(
      `insert into resource_drift (resource_id, run_id, field, old_value_json, new_value_json,
         changed_at)
       values (?, ?, ?, ?, ?, ?)
       on conflict (resource_id, run_id, field) do update
         set new_value_json = excluded.new_value_json, changed_at = excluded.changed_at`,
    ),
  };
}

/**
 * SQLite: the batch in one `BEGIN IMMEDIATE` transaction of better-sqlite3 prepared statements,
 * one pass over the rows. Each row tries the "seen, unchanged" update (one index probe, one row
 * write) and the "insert unless it exists" statement, in the order that paid off in the previous
 * batch (a first collection is mostly new resources, a re-collection mostly unchanged ones); only
 * a row that exists and changed is read back, to record its drift.
 *
 * The statements run on the connection under Kysely's, while Kysely holds it
 * (`db.connection()`), so no Kysely query or transaction can interleave with the batch.
 */
export class SqliteResourceBatchWriter implements ResourceBatchWriter {
  readonly #db: Kysely<ProviderTables>;
  readonly #database: BetterSqlite3.Database;
  #writeBatch: BetterSqlite3.Transaction<ReturnType<typeof batchWriter>> | undefined;
  /** Whether the last batch was mostly new resources: then the next one tries inserts first. */
  #insertFirst = false;

  /** `database` is the connection `db`'s dialect was given. */
  constructor(db: Kysely<ProviderTables>, database: BetterSqlite3.Database) {
    this.#db = db;
    this.#database = database;
  }

  async write(
    target: IngestTarget,
    batch: readonly PreparedResource[],
    now: string,
  ): Promise<IngestCounts> {
    // Prepared at first use: the tables exist only once the migrations ran.
    const writeBatch = (this.#writeBatch ??= this.#database.transaction(
      batchWriter(prepareStatements(this.#database)),
    ));
    const counts = await this.#db
      .connection()
      .execute(() => Promise.resolve(writeBatch.immediate(target, batch, now, this.#insertFirst)));
    this.#insertFirst = counts.created > counts.unchanged;
    return counts;
  }
}

function batchWriter(statements: IngestStatements) {
  const { touchUnchanged, insertNew, selectStored, rewriteChanged, upsertDrift } = statements;
  return (
    target: IngestTarget,
    batch: readonly PreparedResource[],
    now: string,
    insertFirst: boolean,
  ): IngestCounts => {
    const { runId, domainId, providerId } = target;
    const touched = (prepared: PreparedResource): boolean =>
      touchUnchanged.run(now, runId, providerId, prepared.input.emsRef, prepared.fingerprint)
        .changes === 1;
    const inserted = (prepared: PreparedResource): boolean =>
      insertNew.run(
        timeOrderedId(),
        domainId,
        providerId,
        prepared.input.emsRef,
        prepared.input.resourceType,
        prepared.input.name,
        prepared.state,
        prepared.propertiesJson,
        prepared.relationshipsJson,
        prepared.parentEmsRef,
        prepared.tagsJson,
        prepared.fingerprint,
        now,
        now,
        runId,
        now,
      ).changes === 1;
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const prepared of batch) {
      if (insertFirst) {
        if (inserted(prepared)) created += 1;
        else if (touched(prepared)) unchanged += 1;
        else updated += rewrite(prepared);
      } else if (touched(prepared)) unchanged += 1;
      else if (inserted(prepared)) created += 1;
      else updated += rewrite(prepared);
    }
    return { created, updated, unchanged };

    /** A stored resource that changed or comes back: its drift, then its new content. */
    function rewrite(prepared: PreparedResource): 1 {
      const { input } = prepared;
      const stored = selectStored.get(providerId, input.emsRef);
      if (stored === undefined) {
        // The insert just met this (provider, ems_ref) in the same transaction.
        throw new PlugboardError('INTERNAL', `resource "${input.emsRef}" vanished mid-batch`);
      }
      for (const drift of driftRows(stored, prepared, runId, now)) {
        upsertDrift.run(
          drift.resource_id,
          drift.run_id,
          drift.field,
          drift.old_value_json,
          drift.new_value_json,
          drift.changed_at,
        );
      }
      rewriteChanged.run(
        input.resourceType,
        input.name,
        prepared.state,
        prepared.propertiesJson,
        prepared.relationshipsJson,
        prepared.parentEmsRef,
        prepared.tagsJson,
        prepared.fingerprint,
        now,
        runId,
        now,
        stored.id,
      );
      return 1;
    }
  };
}
