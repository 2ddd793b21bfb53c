import { randomUUID } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import type { MetadataBackendName } from '../metadata/metadata-store.js';
import {
  isFinalRunState,
  type CollectionRunRecord,
  type CreateRunInput,
  type RunCounts,
  type RunHeartbeat,
  type RunOutcome,
  type RunPage,
  type RunProgress,
  type RunQuery,
} from '../providers/collection-run-record.js';
import {
  DEFAULT_PROVIDER_PAGE_LIMIT,
  MAX_PROVIDER_PAGE_LIMIT,
} from '../providers/provider-store.js';
import { providerNotFound } from './provider-queries.js';
import { toRunRecord } from './provider-row-mapping.js';
import {
  pageWindow,
  type ProviderDb,
  type ProviderWriteContext,
} from './provider-write-context.js';

/** Queues a run; the partial unique index turns a second active run into a unique violation. */
export async function insertRun(
  context: ProviderWriteContext,
  domainId: string,
  providerId: string,
  input: CreateRunInput,
): Promise<CollectionRunRecord> {
  const provider = await context.trx
    .selectFrom('providers')
    .select(['vendor', 'provider_type'])
    .where('domain_id', '=', domainId)
    .where('id', '=', providerId)
    .executeTakeFirst();
  if (provider === undefined) throw providerNotFound(domainId, providerId);
  const row = {
    id: randomUUID(),
    domain_id: domainId,
    provider_id: providerId,
    state: 'pending',
    plugin_key: `${provider.vendor}:${provider.provider_type}`,
    plugin_version: null,
    resource_types_json:
      input.resourceTypes === undefined ? null : JSON.stringify([...input.resourceTypes]),
    requested_by: input.requestedBy ?? null,
    found: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    removed: 0,
    invalid: 0,
    error_code: null,
    error_message: null,
    cancel_requested: 0,
    worker_id: null,
    created_at: context.now,
    started_at: null,
    finished_at: null,
    heartbeat_at: null,
  };
  await context.trx.insertInto('collection_runs').values(row).execute();
  return toRunRecord(row);
}

/** The active (pending or running) run of a provider, for the `CONFLICT` message. */
export async function selectActiveRun(
  db: ProviderDb,
  providerId: string,
): Promise<CollectionRunRecord | undefined> {
  const row = await db
    .selectFrom('collection_runs')
    .selectAll()
    .where('provider_id', '=', providerId)
    .where('state', 'in', ['pending', 'running'])
    .executeTakeFirst();
  return row === undefined ? undefined : toRunRecord(row);
}

/** A run of the domain, or undefined. */
export async function selectRun(
  db: ProviderDb,
  domainId: string,
  id: string,
): Promise<CollectionRunRecord | undefined> {
  const row = await db
    .selectFrom('collection_runs')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toRunRecord(row);
}

/** One page of a domain's runs, newest first. */
export async function selectRunPage(
  db: ProviderDb,
  domainId: string,
  query: RunQuery,
): Promise<RunPage> {
  let filtered = db.selectFrom('collection_runs').where('domain_id', '=', domainId);
  if (query.providerId !== undefined)
    filtered = filtered.where('provider_id', '=', query.providerId);
  if (query.state !== undefined) filtered = filtered.where('state', '=', query.state);
  const { limit, offset } = pageWindow(
    query.page,
    query.limit,
    DEFAULT_PROVIDER_PAGE_LIMIT,
    MAX_PROVIDER_PAGE_LIMIT,
  );
  const [rows, counted] = await Promise.all([
    filtered
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirst(),
  ]);
  return { runs: rows.map(toRunRecord), total: Number(counted?.count ?? 0) };
}

/**
 * Takes the oldest pending run. PostgreSQL locks the chosen row with `FOR UPDATE SKIP LOCKED`, so
 * a concurrent claimer skips it and takes the next; SQLite has one writer at a time, so the
 * single `UPDATE … RETURNING` is already atomic. `state = 'pending'` is checked again by the
 * update itself, so a run canceled in between is never claimed.
 */
export async function claimPendingRun(
  db: ProviderDb,
  backend: MetadataBackendName,
  workerId: string,
  now: string,
): Promise<CollectionRunRecord | undefined> {
  const row = await db
    .updateTable('collection_runs')
    .set({ state: 'running', worker_id: workerId, started_at: now, heartbeat_at: now })
    .where('id', '=', (eb) => {
      const oldest = eb
        .selectFrom('collection_runs')
        .select('id')
        .where('state', '=', 'pending')
        .orderBy('created_at')
        .orderBy('id')
        .limit(1);
      return backend === 'postgres' ? oldest.forUpdate().skipLocked() : oldest;
    })
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toRunRecord(row);
}

function countColumns(counts: RunCounts) {
  return {
    found: counts.found,
    created: counts.created,
    updated: counts.updated,
    unchanged: counts.unchanged,
    removed: counts.removed,
    invalid: counts.invalid,
  };
}

/** Stores progress if the worker still holds the run; reports whether it does and cancel. */
export async function heartbeat(
  db: ProviderDb,
  id: string,
  workerId: string,
  progress: RunProgress,
  now: string,
): Promise<RunHeartbeat> {
  const row = await db
    .updateTable('collection_runs')
    .set({
      ...countColumns(progress.counts),
      heartbeat_at: now,
      ...(progress.pluginVersion === undefined ? {} : { plugin_version: progress.pluginVersion }),
    })
    .where('id', '=', id)
    .where('worker_id', '=', workerId)
    .where('state', '=', 'running')
    .returning('cancel_requested')
    .executeTakeFirst();
  if (row === undefined) return { owned: false, cancelRequested: false };
  return { owned: true, cancelRequested: Number(row.cancel_requested) === 1 };
}

/** Ends a run the worker holds; undefined when it does not hold it any more. */
export async function finishHeldRun(
  db: ProviderDb,
  id: string,
  workerId: string,
  outcome: RunOutcome,
  now: string,
): Promise<CollectionRunRecord | undefined> {
  const row = await db
    .updateTable('collection_runs')
    .set({
      ...countColumns(outcome.counts),
      state: outcome.state,
      error_code: outcome.error?.code ?? null,
      error_message: outcome.error?.message ?? null,
      finished_at: now,
      heartbeat_at: now,
      ...(outcome.pluginVersion === undefined ? {} : { plugin_version: outcome.pluginVersion }),
    })
    .where('id', '=', id)
    .where('worker_id', '=', workerId)
    .where('state', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : toRunRecord(row);
}

/** Cancels a pending run now, asks a running run's worker to stop, refuses a finished run. */
export async function cancelRunRow(
  context: ProviderWriteContext,
  domainId: string,
  id: string,
): Promise<CollectionRunRecord> {
  const { trx, now } = context;
  const canceled = await trx
    .updateTable('collection_runs')
    .set({ state: 'canceled', finished_at: now, cancel_requested: 1 })
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (canceled !== undefined) return toRunRecord(canceled);
  const requested = await trx
    .updateTable('collection_runs')
    .set({ cancel_requested: 1 })
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .where('state', '=', 'running')
    .returningAll()
    .executeTakeFirst();
  if (requested !== undefined) return toRunRecord(requested);
  const existing = await selectRun(trx, domainId, id);
  if (existing === undefined) {
    throw new PlugboardError('NOT_FOUND', `domain "${domainId}" has no collection run "${id}"`, {
      details: { domainId, runId: id },
    });
  }
  if (isFinalRunState(existing.state)) {
    throw new PlugboardError(
      'CONFLICT',
      `collection run "${id}" already ended (${existing.state}); there is nothing to cancel`,
      { details: { runId: id, state: existing.state } },
    );
  }
  return existing;
}

/** Fails running runs without a heartbeat since `staleBefore`. */
export async function failStale(
  db: ProviderDb,
  staleBefore: string,
  message: string,
  now: string,
): Promise<CollectionRunRecord[]> {
  const rows = await db
    .updateTable('collection_runs')
    .set({ state: 'failed', error_code: 'UNAVAILABLE', error_message: message, finished_at: now })
    .where('state', '=', 'running')
    .where('heartbeat_at', '<', staleBefore)
    .returningAll()
    .execute();
  return rows.map(toRunRecord);
}
