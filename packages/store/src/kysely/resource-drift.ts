import type { JsonObject } from '../metadata/plugin-record.js';
import { canonicalJson } from './canonical-json.js';
import type { ResourceDriftTable, ResourcesTable } from './provider-tables.js';
import type { PreparedResource } from './resource-content.js';

/** The stored columns of a resource that drift compares with what a run collected. */
export type StoredResourceContent = Pick<
  ResourcesTable,
  | 'id'
  | 'resource_type'
  | 'name'
  | 'state'
  | 'parent_ems_ref'
  | 'properties_json'
  | 'relationships_json'
  | 'tags_json'
  | 'fingerprint'
  | 'deleted_at'
>;

/** JSON text of a drift value; null for an absent one. */
function driftValue(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * The drift rows of a resource a run saw changed or back from deletion: `deleted` when it comes
 * back, then one row per tracked field that differs (`properties.<key>` per property). Values are
 * compared as canonical JSON, so key order alone is no change.
 */
export function driftRows(
  row: StoredResourceContent,
  prepared: PreparedResource,
  runId: string,
  now: string,
): ResourceDriftTable[] {
  const rows: ResourceDriftTable[] = [];
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
    ['state', row.state, prepared.state],
    ['parent_ems_ref', row.parent_ems_ref, prepared.parentEmsRef],
  ];
  for (const [field, before, after] of scalars) if (before !== after) add(field, before, after);
  const oldTags = JSON.parse(row.tags_json) as unknown;
  if (canonicalJson(oldTags) !== prepared.tagsJson) add('tags', oldTags, input.tags ?? {});
  const oldLinks = JSON.parse(row.relationships_json) as unknown;
  if (canonicalJson(oldLinks) !== prepared.relationshipsJson) {
    add('relationships', oldLinks, JSON.parse(prepared.relationshipsJson));
  }
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
