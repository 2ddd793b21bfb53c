import { PlugboardError } from '@plugboard/core';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { PluginInput, PluginPatch, PluginRecord } from '../metadata/plugin-record.js';
import { assertPluginName } from '../metadata/validate-store-input.js';
import type { Database, PluginsTable } from './database-tables.js';
import {
  facetsOfRow,
  pluginRowFromInput,
  pluginRowFromPatch,
  replaceFacets,
} from './plugin-rows.js';
import { toPluginRecord } from './row-mapping.js';
import type { WriteContext } from './write-context.js';

/** `PLUGIN_NOT_FOUND` for a name in a domain. */
export function pluginNotFound(domainId: string, name: string): PlugboardError {
  return new PlugboardError('PLUGIN_NOT_FOUND', `domain "${domainId}" has no plugin "${name}"`, {
    details: { domainId, name },
  });
}

/** Inserts a new plugin with its facets (a duplicate name fails on the primary key). */
export async function insertPlugin(
  context: WriteContext,
  domainId: string,
  input: PluginInput,
): Promise<PluginRecord> {
  const row = pluginRowFromInput(domainId, input, context.now);
  await context.trx.insertInto('plugins').values(row).execute();
  await replaceFacets(context.trx, domainId, row.name, facetsOfRow(row));
  context.changes.push({ entity: 'plugin', action: 'created', domainId, key: row.name });
  return toPluginRecord(row);
}

/** Inserts the plugin or replaces its metadata, keeping `created_at` (and `enabled` unless given). */
export async function upsertPluginRow(
  context: WriteContext,
  domainId: string,
  input: PluginInput,
): Promise<PluginRecord> {
  const row = pluginRowFromInput(domainId, input, context.now);
  const existed = await selectPluginRow(context.trx, domainId, row.name);
  const stored = await context.trx
    .insertInto('plugins')
    .values(row)
    .onConflict((conflict) =>
      conflict.columns(['domain_id', 'name']).doUpdateSet((eb) => ({
        display_name: eb.ref('excluded.display_name'),
        description: eb.ref('excluded.description'),
        type: eb.ref('excluded.type'),
        providers_json: eb.ref('excluded.providers_json'),
        labels_json: eb.ref('excluded.labels_json'),
        capabilities_json: eb.ref('excluded.capabilities_json'),
        tags_json: eb.ref('excluded.tags_json'),
        icon: eb.ref('excluded.icon'),
        manifest_json: eb.ref('excluded.manifest_json'),
        image: eb.ref('excluded.image'),
        registry_type: eb.ref('excluded.registry_type'),
        registry_config_json: eb.ref('excluded.registry_config_json'),
        updated_at: eb.ref('excluded.updated_at'),
        ...(input.enabled === undefined ? {} : { enabled: eb.ref('excluded.enabled') }),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  await replaceFacets(context.trx, domainId, stored.name, facetsOfRow(stored));
  context.changes.push({
    entity: 'plugin',
    action: existed === undefined ? 'created' : 'updated',
    domainId,
    key: stored.name,
  });
  return toPluginRecord(stored);
}

/** Applies a patch; `PLUGIN_NOT_FOUND` when absent. */
export async function patchPluginRow(
  context: WriteContext,
  domainId: string,
  name: string,
  patch: PluginPatch,
): Promise<PluginRecord> {
  assertPluginName(name);
  const stored = await context.trx
    .updateTable('plugins')
    .set(pluginRowFromPatch(patch, context.now))
    .where('domain_id', '=', domainId)
    .where('name', '=', name)
    .returningAll()
    .executeTakeFirst();
  if (stored === undefined) throw pluginNotFound(domainId, name);
  await replaceFacets(context.trx, domainId, name, facetsOfRow(stored));
  context.changes.push({ entity: 'plugin', action: 'updated', domainId, key: name });
  return toPluginRecord(stored);
}

/** Deletes a plugin; its facets, versions and dist-tags go with it (foreign keys cascade). */
export async function deletePluginRow(
  context: WriteContext,
  domainId: string,
  name: string,
): Promise<void> {
  const result = await context.trx
    .deleteFrom('plugins')
    .where('domain_id', '=', domainId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw pluginNotFound(domainId, name);
  context.changes.push({ entity: 'plugin', action: 'deleted', domainId, key: name });
}

/** The plugin row, if any. */
export async function selectPluginRow(
  db: Kysely<Database> | Transaction<Database>,
  domainId: string,
  name: string,
): Promise<Selectable<PluginsTable> | undefined> {
  return db
    .selectFrom('plugins')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Throws `PLUGIN_NOT_FOUND` unless the plugin exists. */
export async function assertPluginExists(
  db: Kysely<Database> | Transaction<Database>,
  domainId: string,
  name: string,
): Promise<void> {
  const row = await db
    .selectFrom('plugins')
    .select('name')
    .where('domain_id', '=', domainId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (row === undefined) throw pluginNotFound(domainId, name);
}
