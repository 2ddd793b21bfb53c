import { sql } from 'kysely';
import {
  DEFAULT_PROVIDER_PAGE_LIMIT,
  MAX_PROVIDER_PAGE_LIMIT,
} from '../providers/provider-store.js';
import type {
  ResourceDriftRecord,
  ResourcePage,
  ResourceQuery,
  ResourceRecord,
} from '../providers/resource-record.js';
import { toDriftRecord, toResourceRecord } from './provider-row-mapping.js';
import { pageWindow, type ProviderDb } from './provider-write-context.js';

/** Default number of drift entries `listResourceDrift` returns. */
export const DEFAULT_DRIFT_LIMIT = 100;

/** A resource of the domain, or undefined. */
export async function selectResource(
  db: ProviderDb,
  domainId: string,
  id: string,
): Promise<ResourceRecord | undefined> {
  const row = await db
    .selectFrom('resources')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : toResourceRecord(row);
}

/** Resources of one provider with these ems_refs. */
export async function selectResourcesByEmsRef(
  db: ProviderDb,
  domainId: string,
  providerId: string,
  emsRefs: readonly string[],
): Promise<ResourceRecord[]> {
  if (emsRefs.length === 0) return [];
  const rows = await db
    .selectFrom('resources')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('provider_id', '=', providerId)
    .where('ems_ref', 'in', [...new Set(emsRefs)])
    .execute();
  return rows.map(toResourceRecord);
}

/** `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` escaped. */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of a domain's resources by type, name and id. */
export async function selectResourcePage(
  db: ProviderDb,
  domainId: string,
  query: ResourceQuery,
): Promise<ResourcePage> {
  let filtered = db.selectFrom('resources').where('domain_id', '=', domainId);
  if (query.providerId !== undefined)
    filtered = filtered.where('provider_id', '=', query.providerId);
  if (query.resourceType !== undefined) {
    filtered = filtered.where('resource_type', '=', query.resourceType);
  }
  if (query.state !== undefined) filtered = filtered.where('state', '=', query.state);
  if (query.includeDeleted !== true) filtered = filtered.where('deleted_at', 'is', null);
  if (query.q !== undefined && query.q !== '') {
    const pattern = containsPattern(query.q);
    // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is `\`.
    filtered = filtered.where(
      sql<boolean>`(lower(name) like ${pattern} escape '\\' or lower(ems_ref) like ${pattern} escape '\\')`,
    );
  }
  const { limit, offset } = pageWindow(
    query.page,
    query.limit,
    DEFAULT_PROVIDER_PAGE_LIMIT,
    MAX_PROVIDER_PAGE_LIMIT,
  );
  const [rows, counted] = await Promise.all([
    filtered
      .selectAll()
      .orderBy('resource_type')
      .orderBy('name')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),
    filtered.select((eb) => eb.fn.countAll<number | string>().as('count')).executeTakeFirst(),
  ]);
  return { resources: rows.map(toResourceRecord), total: Number(counted?.count ?? 0) };
}

/** A resource's drift, newest first (fields in name order within one run). */
export async function selectDrift(
  db: ProviderDb,
  domainId: string,
  resourceId: string,
  limit: number,
): Promise<ResourceDriftRecord[]> {
  const rows = await db
    .selectFrom('resource_drift')
    .innerJoin('resources', 'resources.id', 'resource_drift.resource_id')
    .selectAll('resource_drift')
    .where('resources.domain_id', '=', domainId)
    .where('resource_drift.resource_id', '=', resourceId)
    .orderBy('resource_drift.changed_at', 'desc')
    .orderBy('resource_drift.field')
    .limit(Math.min(Math.max(Math.trunc(limit), 1), MAX_PROVIDER_PAGE_LIMIT))
    .execute();
  return rows.map(toDriftRecord);
}
