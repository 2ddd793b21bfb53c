import { hash } from 'node:crypto';
import type { ResourceInput } from '../providers/resource-record.js';
import { canonicalJson } from './canonical-json.js';

/**
 * A resource as it will be stored: its JSON columns in canonical form (keys sorted) and the
 * fingerprint of its tracked content. Equal fingerprints mean no tracked field changed, so a
 * re-collected resource is compared by one string instead of field by field.
 */
export interface PreparedResource {
  readonly input: ResourceInput;
  readonly state: string | null;
  readonly parentEmsRef: string | null;
  readonly propertiesJson: string;
  readonly relationshipsJson: string;
  readonly tagsJson: string;
  readonly fingerprint: string;
}

/**
 * The fingerprint is sha1 (base64) of the canonical JSON of
 * `[resource_type, name, state, parent_ems_ref, properties, relationships, tags]`. The stored
 * columns are those very canonical texts, so each value is serialized once and the array text is
 * assembled from them; the fingerprint is the same as serializing the whole array at once, which
 * rows stored before keep.
 */
export function prepareResource(input: ResourceInput): PreparedResource {
  const state = input.state ?? null;
  const parentEmsRef = input.parentEmsRef ?? null;
  const propertiesJson = canonicalJson(input.properties ?? {});
  const relationshipsJson = canonicalJson(
    (input.relationships ?? []).map((link) => ({
      type: link.type,
      target_ems_ref: link.targetEmsRef,
    })),
  );
  const tagsJson = canonicalJson(input.tags ?? {});
  const tracked =
    `[${canonicalJson(input.resourceType)},${canonicalJson(input.name)},` +
    `${canonicalJson(state)},${canonicalJson(parentEmsRef)},` +
    `${propertiesJson},${relationshipsJson},${tagsJson}]`;
  return {
    input,
    state,
    parentEmsRef,
    propertiesJson,
    relationshipsJson,
    tagsJson,
    fingerprint: hash('sha1', tracked, 'base64'),
  };
}

/**
 * One batch prepared for writing, one entry per ems_ref: a resource given twice is written once,
 * as its last occurrence says, in the place of its first.
 */
export function prepareBatch(resources: readonly ResourceInput[]): PreparedResource[] {
  const byRef = new Map<string, PreparedResource>();
  for (const resource of resources) byRef.set(resource.emsRef, prepareResource(resource));
  return [...byRef.values()];
}
