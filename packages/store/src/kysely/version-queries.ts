import { PlugboardError, compareVersions, isPrerelease } from '@plugboard/core';
import type { Kysely, Transaction, Updateable } from 'kysely';
import type {
  PublishResult,
  PublishVersionInput,
  VersionRecord,
  VersionSignature,
} from '../metadata/version-record.js';
import {
  assertDigest,
  assertDistTag,
  assertInteger,
  assertText,
  assertVersion,
} from '../metadata/validate-store-input.js';
import type { Database, PluginVersionsTable } from './database-tables.js';
import { facetsOfRow, pluginRowFromInput, replaceFacets } from './plugin-rows.js';
import { assertPluginExists, pluginNotFound, selectPluginRow } from './plugin-queries.js';
import { toPluginRecord, toVersionRecord } from './row-mapping.js';
import type { WriteContext } from './write-context.js';

type Queryable = Kysely<Database> | Transaction<Database>;

/**
 * Publishes a version in the caller's transaction: creates the plugin when missing, inserts the
 * version (a duplicate fails on the primary key and the whole transaction rolls back), and takes
 * the plugin's metadata from this version when it becomes the preferred one.
 */
export async function insertVersion(
  context: WriteContext,
  domainId: string,
  input: PublishVersionInput,
): Promise<PublishResult> {
  const { trx, now } = context;
  assertVersion(input.version);
  const pluginRow = pluginRowFromInput(domainId, input.plugin, now);
  const versionRow = versionRowFromInput(domainId, pluginRow.name, input, now);

  const inserted = await trx
    .insertInto('plugins')
    .values(pluginRow)
    .onConflict((conflict) => conflict.columns(['domain_id', 'name']).doNothing())
    .returning('name')
    .executeTakeFirst();
  const pluginCreated = inserted !== undefined;
  if (pluginCreated) {
    await replaceFacets(trx, domainId, pluginRow.name, facetsOfRow(pluginRow));
  } else {
    // Touching the row first makes concurrent publishes of one plugin queue up on its row lock
    // (PostgreSQL), so the "preferred version" check below sees every committed version.
    await trx
      .updateTable('plugins')
      .set({ updated_at: now })
      .where('domain_id', '=', domainId)
      .where('name', '=', pluginRow.name)
      .execute();
  }

  await trx.insertInto('plugin_versions').values(versionRow).execute();

  if (!pluginCreated) {
    const versions = await trx
      .selectFrom('plugin_versions')
      .select('version')
      .where('domain_id', '=', domainId)
      .where('plugin_name', '=', pluginRow.name)
      .execute();
    if (preferredVersion(versions.map((row) => row.version)) === input.version) {
      await trx
        .updateTable('plugins')
        .set({
          display_name: pluginRow.display_name,
          description: pluginRow.description,
          type: pluginRow.type,
          providers_json: pluginRow.providers_json,
          labels_json: pluginRow.labels_json,
          capabilities_json: pluginRow.capabilities_json,
          tags_json: pluginRow.tags_json,
          icon: pluginRow.icon,
          manifest_json: pluginRow.manifest_json,
        })
        .where('domain_id', '=', domainId)
        .where('name', '=', pluginRow.name)
        .execute();
      await replaceFacets(trx, domainId, pluginRow.name, facetsOfRow(pluginRow));
    }
  }

  const plugin = await selectPluginRow(trx, domainId, pluginRow.name);
  if (plugin === undefined) throw pluginNotFound(domainId, pluginRow.name);
  context.changes.push(
    {
      entity: 'plugin',
      action: pluginCreated ? 'created' : 'updated',
      domainId,
      key: pluginRow.name,
    },
    {
      entity: 'version',
      action: 'created',
      domainId,
      key: pluginRow.name,
      version: input.version,
    },
  );
  return {
    plugin: toPluginRecord(plugin),
    version: toVersionRecord(versionRow),
    pluginCreated,
  };
}

/** The version whose metadata describes the plugin: the highest release, else the highest prerelease. */
export function preferredVersion(versions: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestRelease: string | undefined;
  for (const version of versions) {
    if (best === undefined || compareVersions(version, best) > 0) best = version;
    if (
      !isPrerelease(version) &&
      (bestRelease === undefined || compareVersions(version, bestRelease) > 0)
    ) {
      bestRelease = version;
    }
  }
  return bestRelease ?? best;
}

/** Versions of an existing plugin, highest first; `PLUGIN_NOT_FOUND` otherwise. */
export async function selectVersions(
  db: Queryable,
  domainId: string,
  name: string,
): Promise<VersionRecord[]> {
  await assertPluginExists(db, domainId, name);
  const rows = await db
    .selectFrom('plugin_versions')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('plugin_name', '=', name)
    .execute();
  return rows
    .map((row) => toVersionRecord(row))
    .sort((a, b) => compareVersions(b.version, a.version));
}

/** One version, if it exists. */
export async function selectVersion(
  db: Queryable,
  domainId: string,
  name: string,
  version: string,
): Promise<VersionRecord | undefined> {
  const row = await db
    .selectFrom('plugin_versions')
    .selectAll()
    .where('domain_id', '=', domainId)
    .where('plugin_name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  return row === undefined ? undefined : toVersionRecord(row);
}

/** Changes the yank or deprecation columns of one version; the right "not found" when absent. */
export async function updateVersionState(
  context: WriteContext,
  domainId: string,
  name: string,
  version: string,
  columns: Updateable<PluginVersionsTable>,
): Promise<VersionRecord> {
  const row = await context.trx
    .updateTable('plugin_versions')
    .set(columns)
    .where('domain_id', '=', domainId)
    .where('plugin_name', '=', name)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw await missingVersion(context.trx, domainId, name, version);
  context.changes.push({ entity: 'version', action: 'updated', domainId, key: name, version });
  return toVersionRecord(row);
}

/** A plugin's dist-tags; `PLUGIN_NOT_FOUND` when the plugin is absent. */
export async function selectDistTags(
  db: Queryable,
  domainId: string,
  name: string,
): Promise<Record<string, string>> {
  await assertPluginExists(db, domainId, name);
  const rows = await db
    .selectFrom('plugin_dist_tags')
    .select(['tag', 'version'])
    .where('domain_id', '=', domainId)
    .where('plugin_name', '=', name)
    .orderBy('tag', 'asc')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.tag, row.version]));
}

/** Points a dist-tag at an existing version. */
export async function upsertDistTag(
  context: WriteContext,
  domainId: string,
  name: string,
  tag: string,
  version: string,
): Promise<void> {
  assertDistTag(tag);
  assertVersion(version);
  if ((await selectVersion(context.trx, domainId, name, version)) === undefined) {
    throw await missingVersion(context.trx, domainId, name, version);
  }
  await context.trx
    .insertInto('plugin_dist_tags')
    .values({ domain_id: domainId, plugin_name: name, tag, version })
    .onConflict((conflict) =>
      conflict
        .columns(['domain_id', 'plugin_name', 'tag'])
        .doUpdateSet((eb) => ({ version: eb.ref('excluded.version') })),
    )
    .execute();
  context.changes.push({ entity: 'dist-tag', action: 'updated', domainId, key: name, tag });
}

/** Removes a dist-tag; `PLUGIN_NOT_FOUND` or `NOT_FOUND` when there is nothing to remove. */
export async function deleteDistTagRow(
  context: WriteContext,
  domainId: string,
  name: string,
  tag: string,
): Promise<void> {
  const result = await context.trx
    .deleteFrom('plugin_dist_tags')
    .where('domain_id', '=', domainId)
    .where('plugin_name', '=', name)
    .where('tag', '=', tag)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) {
    await assertPluginExists(context.trx, domainId, name);
    throw new PlugboardError('NOT_FOUND', `plugin "${name}" has no dist-tag "${tag}"`, {
      details: { domainId, name, tag },
    });
  }
  context.changes.push({ entity: 'dist-tag', action: 'deleted', domainId, key: name, tag });
}

async function missingVersion(
  db: Queryable,
  domainId: string,
  name: string,
  version: string,
): Promise<PlugboardError> {
  await assertPluginExists(db, domainId, name);
  return new PlugboardError('VERSION_NOT_FOUND', `plugin "${name}" has no version ${version}`, {
    details: { domainId, name, version },
  });
}

function versionRowFromInput(
  domainId: string,
  pluginName: string,
  input: PublishVersionInput,
  now: string,
) {
  const manifest: unknown = input.manifest;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new PlugboardError('INVALID_ARGUMENT', 'manifest must be a JSON object', {
      details: { field: 'manifest' },
    });
  }
  assertDigest('artifact.digest', input.artifact.digest);
  assertInteger('artifact.size', input.artifact.size, 0, Number.MAX_SAFE_INTEGER);
  assertText('artifact.mediaType', input.artifact.mediaType);
  const signatures: VersionSignature[] = (input.signatures ?? []).map((signature, index) => {
    assertText(`signatures[${index}].keyId`, signature.keyId);
    assertText(`signatures[${index}].signature`, signature.signature);
    return { keyId: signature.keyId, signature: signature.signature };
  });
  return {
    domain_id: domainId,
    plugin_name: pluginName,
    version: input.version,
    manifest_json: JSON.stringify(manifest),
    artifact_digest: input.artifact.digest,
    artifact_size: input.artifact.size,
    media_type: input.artifact.mediaType,
    signatures_json: JSON.stringify(signatures),
    published_at: now,
    yanked_at: null,
    yank_reason: null,
    deprecation_message: null,
  };
}

/** Largest number of digests asked about in one statement (well under both drivers' limits). */
const DIGESTS_PER_QUERY = 500;

/** Which of `digests` at least one version row (of any domain) has as its artifact. */
export async function selectReferencedDigests(
  db: Kysely<Database>,
  digests: readonly string[],
): Promise<Set<string>> {
  const referenced = new Set<string>();
  for (let start = 0; start < digests.length; start += DIGESTS_PER_QUERY) {
    const batch = digests.slice(start, start + DIGESTS_PER_QUERY);
    const rows = await db
      .selectFrom('plugin_versions')
      .select('artifact_digest')
      .distinct()
      .where('artifact_digest', 'in', batch)
      .execute();
    for (const row of rows) referenced.add(row.artifact_digest);
  }
  return referenced;
}
