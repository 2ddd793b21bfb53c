import { randomUUID } from 'node:crypto';
import { PlugboardError } from '@plugboard/core';
import type { Updateable } from 'kysely';
import { assertDomainId, assertText } from '../metadata/validate-store-input.js';
import {
  DEFAULT_PROVIDER_PAGE_LIMIT,
  MAX_PROVIDER_PAGE_LIMIT,
} from '../providers/provider-store.js';
import type {
  PluginUsage,
  ProviderInput,
  ProviderPage,
  ProviderPatch,
  ProviderQuery,
  ProviderRecord,
} from '../providers/provider-record.js';
import { toProviderRecord } from './provider-row-mapping.js';
import type { ProvidersTable } from './provider-tables.js';
import {
  pageWindow,
  type ProviderDb,
  type ProviderWriteContext,
} from './provider-write-context.js';

/** Inserts a provider. */
export async function insertProvider(
  context: ProviderWriteContext,
  domainId: string,
  input: ProviderInput,
): Promise<ProviderRecord> {
  assertDomainId(domainId);
  assertText('name', input.name);
  assertText('vendor', input.vendor);
  assertText('providerType', input.providerType);
  const row = {
    id: input.id ?? randomUUID(),
    domain_id: domainId,
    name: input.name,
    infrastructure: input.infrastructure ?? null,
    vendor: input.vendor,
    provider_type: input.providerType,
    endpoint: input.endpoint ?? null,
    organization: input.organization ?? null,
    config_json: JSON.stringify(input.config),
    secret_keys_json: JSON.stringify([...input.secretKeys]),
    secrets_ciphertext: input.secretsCiphertext ?? null,
    enabled: input.enabled === false ? 0 : 1,
    created_at: context.now,
    updated_at: context.now,
  };
  assertText('id', row.id);
  await context.trx.insertInto('providers').values(row).execute();
  return toProviderRecord(row);
}

/** A provider of the domain, or undefined. */
export async function selectProvider(
  db: ProviderDb,
  domainId: string,
  id: string,
): Promise<ProviderRecord | undefined> {
  const row = await db
    .selectFrom('providers')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toProviderRecord(row);
}

/** A provider of any domain, or undefined. */
export async function selectProviderById(
  db: ProviderDb,
  id: string,
): Promise<ProviderRecord | undefined> {
  const row = await db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toProviderRecord(row);
}

/** One page of a domain's providers by name. */
export async function selectProviderPage(
  db: ProviderDb,
  domainId: string,
  query: ProviderQuery,
): Promise<ProviderPage> {
  let filtered = db.selectFrom('providers').where('domain_id', '=', domainId);
  if (query.vendor !== undefined) filtered = filtered.where('vendor', '=', query.vendor);
  if (query.providerType !== undefined) {
    filtered = filtered.where('provider_type', '=', query.providerType);
  }
  if (query.enabled !== undefined) filtered = filtered.where('enabled', '=', query.enabled ? 1 : 0);
  const { limit, offset } = pageWindow(
    query.page,
    query.limit,
    DEFAULT_PROVIDER_PAGE_LIMIT,
    MAX_PROVIDER_PAGE_LIMIT,
  );
  const [rows, counted] = await Promise.all([
    filtered.selectAll().orderBy('name').orderBy('id').limit(limit).offset(offset).execute(),
    filtered.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirst(),
  ]);
  return { providers: rows.map(toProviderRecord), total: Number(counted?.count ?? 0) };
}

/** Providers bound to one plugin key (any domain, or one), by domain and name. */
export async function selectProvidersOfPlugin(
  db: ProviderDb,
  vendor: string,
  providerType: string,
  domainId: string | undefined,
): Promise<ProviderRecord[]> {
  let query = db
    .selectFrom('providers')
    .selectAll()
    .where('vendor', '=', vendor)
    .where('provider_type', '=', providerType);
  if (domainId !== undefined) query = query.where('domain_id', '=', domainId);
  const rows = await query.orderBy('domain_id').orderBy('name').execute();
  return rows.map(toProviderRecord);
}

/** Provider counts per plugin key. */
export async function countByPlugin(
  db: ProviderDb,
  domainId: string | undefined,
): Promise<PluginUsage[]> {
  let query = db
    .selectFrom('providers')
    .select(['vendor', 'provider_type', (eb) => eb.fn.countAll<number | string>().as('count')]);
  if (domainId !== undefined) query = query.where('domain_id', '=', domainId);
  const rows = await query
    .groupBy(['vendor', 'provider_type'])
    .orderBy('vendor')
    .orderBy('provider_type')
    .execute();
  return rows.map((row) => ({
    vendor: row.vendor,
    providerType: row.provider_type,
    count: Number(row.count),
  }));
}

/** Applies a patch; `NOT_FOUND` when the domain has no such provider. */
export async function patchProvider(
  context: ProviderWriteContext,
  domainId: string,
  id: string,
  patch: ProviderPatch,
): Promise<ProviderRecord> {
  const values: Updateable<ProvidersTable> = { updated_at: context.now };
  if (patch.name !== undefined) {
    assertText('name', patch.name);
    values.name = patch.name;
  }
  if (patch.vendor !== undefined) {
    assertText('vendor', patch.vendor);
    values.vendor = patch.vendor;
  }
  if (patch.providerType !== undefined) {
    assertText('providerType', patch.providerType);
    values.provider_type = patch.providerType;
  }
  if (patch.infrastructure !== undefined) values.infrastructure = patch.infrastructure;
  if (patch.endpoint !== undefined) values.endpoint = patch.endpoint;
  if (patch.organization !== undefined) values.organization = patch.organization;
  if (patch.config !== undefined) values.config_json = JSON.stringify(patch.config);
  if (patch.secretKeys !== undefined)
    values.secret_keys_json = JSON.stringify([...patch.secretKeys]);
  if (patch.secretsCiphertext !== undefined) values.secrets_ciphertext = patch.secretsCiphertext;
  if (patch.enabled !== undefined) values.enabled = patch.enabled ? 1 : 0;
  const row = await context.trx
    .updateTable('providers')
    .set(values)
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw providerNotFound(domainId, id);
  return toProviderRecord(row);
}

/** Deletes a provider (runs, resources and drift cascade); refuses while a run is active. */
export async function deleteProviderRow(
  context: ProviderWriteContext,
  domainId: string,
  id: string,
): Promise<void> {
  const active = await context.trx
    .selectFrom('collection_runs')
    .select(['id', 'state'])
    .where('provider_id', '=', id)
    .where('domain_id', '=', domainId)
    .where('state', 'in', ['pending', 'running'])
    .executeTakeFirst();
  if (active !== undefined) {
    throw new PlugboardError(
      'CONFLICT',
      `provider "${id}" has a ${active.state} collection run "${active.id}"; cancel it first`,
      { details: { providerId: id, runId: active.id, state: active.state } },
    );
  }
  // Drift rows go with their resources; delete them first so SQLite and PostgreSQL need not
  // agree on cascade depth inside one statement.
  await context.trx
    .deleteFrom('resource_drift')
    .where('resource_id', 'in', (eb) =>
      eb.selectFrom('resources').select('id').where('provider_id', '=', id),
    )
    .execute();
  const result = await context.trx
    .deleteFrom('providers')
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw providerNotFound(domainId, id);
  // Resources are deleted here, after the provider row: PostgreSQL has no foreign key to cascade
  // them (see migration 0003), and an ingest holding the provider row has committed by now.
  await context.trx.deleteFrom('resources').where('provider_id', '=', id).execute();
}

/** `NOT_FOUND` naming the provider. */
export function providerNotFound(domainId: string, id: string): PlugboardError {
  return new PlugboardError('NOT_FOUND', `domain "${domainId}" has no provider "${id}"`, {
    details: { domainId, providerId: id },
  });
}
