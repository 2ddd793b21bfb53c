import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/**
 * `registry_settings` (this registry's stable id, shared by its replicas), `token_sealed` on
 * `remote_repositories` (the REMOTE token encrypted by the server; `token` keeps only what older
 * servers wrote in clear until the server seals it at start), and an index on
 * `plugin_versions.artifact_digest` for the blob collector's "is this digest still used?".
 */
export function registryIdentityAndSealedTokensMigration(types: ColumnTypes): Migration {
  const { text } = types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('registry_settings')
        .addColumn('key', text, (c) => c.primaryKey())
        .addColumn('value', text, (c) => c.notNull())
        .execute();
      await db.schema.alterTable('remote_repositories').addColumn('token_sealed', text).execute();
      await db.schema
        .createIndex('plugin_versions_artifact_digest_idx')
        .on('plugin_versions')
        .column('artifact_digest')
        .execute();
    },
  };
}
