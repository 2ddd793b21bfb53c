import { PlugboardError } from '@plugboard/core';
import type { Transaction, Updateable } from 'kysely';
import {
  capabilityTypesOf,
  type JsonObject,
  type PluginImage,
  type PluginInput,
  type PluginPatch,
} from '../metadata/plugin-record.js';
import { assertPluginName, assertText } from '../metadata/validate-store-input.js';
import type { Database, FacetKind, PluginsTable } from './database-tables.js';

/** The filterable values of a plugin, by facet kind. */
export interface PluginFacets {
  readonly provider: readonly string[];
  readonly label: readonly string[];
  readonly capability: readonly string[];
}

/** Checks a `PluginInput` and turns it into a full `plugins` row. */
export function pluginRowFromInput(
  domainId: string,
  input: PluginInput,
  now: string,
): PluginsTable {
  assertPluginName(input.name);
  const manifest = checkObject('manifest', input.manifest);
  const image = input.image === undefined ? undefined : checkImage(input.image);
  return {
    domain_id: domainId,
    name: input.name,
    display_name: optionalText('displayName', input.displayName),
    description: optionalText('description', input.description),
    type: optionalText('type', input.type),
    providers_json: JSON.stringify(stringList('providers', input.providers)),
    labels_json: JSON.stringify(stringList('labels', input.labels)),
    capabilities_json: JSON.stringify(
      stringList('capabilities', input.capabilities ?? capabilityTypesOf(manifest)),
    ),
    tags_json: JSON.stringify(stringMap('tags', input.tags)),
    icon: optionalText('icon', input.icon),
    manifest_json: JSON.stringify(manifest),
    enabled: input.enabled === false ? 0 : 1,
    image: image?.image ?? null,
    registry_type: image?.registryType ?? null,
    registry_config_json:
      image?.registryConfig === undefined ? null : JSON.stringify(image.registryConfig),
    created_at: now,
    updated_at: now,
  };
}

/** Checks a `PluginPatch` and turns it into the columns it changes. */
export function pluginRowFromPatch(patch: PluginPatch, now: string): Updateable<PluginsTable> {
  const row: Updateable<PluginsTable> = { updated_at: now };
  if (patch.displayName !== undefined) {
    row.display_name = optionalText('displayName', patch.displayName ?? undefined);
  }
  if (patch.description !== undefined) {
    row.description = optionalText('description', patch.description ?? undefined);
  }
  if (patch.type !== undefined) row.type = optionalText('type', patch.type ?? undefined);
  if (patch.icon !== undefined) row.icon = optionalText('icon', patch.icon ?? undefined);
  if (patch.providers !== undefined) {
    row.providers_json = JSON.stringify(stringList('providers', patch.providers));
  }
  if (patch.labels !== undefined)
    row.labels_json = JSON.stringify(stringList('labels', patch.labels));
  if (patch.capabilities !== undefined) {
    row.capabilities_json = JSON.stringify(stringList('capabilities', patch.capabilities));
  }
  if (patch.tags !== undefined) row.tags_json = JSON.stringify(stringMap('tags', patch.tags));
  if (patch.manifest !== undefined) {
    const manifest = checkObject('manifest', patch.manifest);
    row.manifest_json = JSON.stringify(manifest);
    // A new manifest without explicit capabilities brings its own, as on create.
    if (patch.capabilities === undefined) {
      row.capabilities_json = JSON.stringify(capabilityTypesOf(manifest));
    }
  }
  if (patch.enabled !== undefined) row.enabled = patch.enabled ? 1 : 0;
  if (patch.image !== undefined) {
    const image = patch.image === null ? undefined : checkImage(patch.image);
    row.image = image?.image ?? null;
    row.registry_type = image?.registryType ?? null;
    row.registry_config_json =
      image?.registryConfig === undefined ? null : JSON.stringify(image.registryConfig);
  }
  return row;
}

/** The facets stored in a row's JSON columns. */
export function facetsOfRow(row: {
  providers_json: string;
  labels_json: string;
  capabilities_json: string;
}): PluginFacets {
  return {
    provider: JSON.parse(row.providers_json) as string[],
    label: JSON.parse(row.labels_json) as string[],
    capability: JSON.parse(row.capabilities_json) as string[],
  };
}

/** Replaces a plugin's facet rows with `facets` (inside the caller's transaction). */
export async function replaceFacets(
  trx: Transaction<Database>,
  domainId: string,
  pluginName: string,
  facets: PluginFacets,
): Promise<void> {
  await trx
    .deleteFrom('plugin_facets')
    .where('domain_id', '=', domainId)
    .where('plugin_name', '=', pluginName)
    .execute();
  const rows: { domain_id: string; plugin_name: string; kind: FacetKind; value: string }[] = [];
  for (const kind of ['provider', 'label', 'capability'] as const) {
    for (const value of new Set(facets[kind])) {
      rows.push({ domain_id: domainId, plugin_name: pluginName, kind, value });
    }
  }
  if (rows.length > 0) await trx.insertInto('plugin_facets').values(rows).execute();
}

function optionalText(field: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  assertText(field, value);
  return value;
}

function stringList(field: string, value: readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const list: unknown = value;
  if (!Array.isArray(list)) throw invalid(field, `${field} must be an array of strings`);
  return list.map((item: unknown, index) => {
    assertText(`${field}[${index}]`, item);
    return item;
  });
}

function stringMap(
  field: string,
  value: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  if (value === undefined) return {};
  const map = checkObject(field, value);
  for (const [key, item] of Object.entries(map)) assertText(`${field}.${key}`, item);
  return map as Record<string, string>;
}

function checkObject(field: string, value: unknown): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(field, `${field} must be a JSON object`);
  }
  return value as JsonObject;
}

function checkImage(image: PluginImage): PluginImage {
  checkObject('image', image);
  assertText('image.image', image.image);
  if (image.registryType !== undefined) assertText('image.registryType', image.registryType);
  if (image.registryConfig !== undefined) checkObject('image.registryConfig', image.registryConfig);
  return image;
}

function invalid(field: string, message: string): PlugboardError {
  return new PlugboardError('INVALID_ARGUMENT', message, { details: { field } });
}
