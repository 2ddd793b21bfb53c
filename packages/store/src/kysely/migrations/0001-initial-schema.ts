import type { Kysely, Migration } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/**
 * Domains, API tokens, LOCAL plugins with their facets, versions and dist-tags, REMOTE repositories.
 * Child rows name their parent with foreign keys that cascade, so deleting a plugin deletes its
 * versions and tags in the same statement.
 */
export function initialSchemaMigration(types: ColumnTypes): Migration {
  const { text } = types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('domains')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('domain_id', text, (c) =>
          c.notNull().references('domains.id').onDelete('cascade'),
        )
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('role', text, (c) => c.notNull())
        .addColumn('prefix', text, (c) => c.notNull())
        .addColumn('token_hash', text, (c) => c.notNull().unique())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('expires_at', text)
        .addColumn('revoked_at', text)
        .execute();
      await db.schema
        .createIndex('api_tokens_domain_idx')
        .on('api_tokens')
        .columns(['domain_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('plugins')
        .addColumn('domain_id', text, (c) =>
          c.notNull().references('domains.id').onDelete('cascade'),
        )
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('display_name', text)
        .addColumn('description', text)
        .addColumn('type', text)
        .addColumn('providers_json', text, (c) => c.notNull())
        .addColumn('labels_json', text, (c) => c.notNull())
        .addColumn('capabilities_json', text, (c) => c.notNull())
        .addColumn('tags_json', text, (c) => c.notNull())
        .addColumn('icon', text)
        .addColumn('manifest_json', text, (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('image', text)
        .addColumn('registry_type', text)
        .addColumn('registry_config_json', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('plugins_pk', ['domain_id', 'name'])
        .execute();
      await db.schema
        .createIndex('plugins_updated_idx')
        .on('plugins')
        .columns(['domain_id', 'updated_at'])
        .execute();
      await db.schema
        .createIndex('plugins_created_idx')
        .on('plugins')
        .columns(['domain_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('plugins_type_idx')
        .on('plugins')
        .columns(['domain_id', 'type'])
        .execute();

      await db.schema
        .createTable('plugin_facets')
        .addColumn('domain_id', text, (c) => c.notNull())
        .addColumn('plugin_name', text, (c) => c.notNull())
        .addColumn('kind', text, (c) => c.notNull())
        .addColumn('value', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('plugin_facets_pk', ['domain_id', 'plugin_name', 'kind', 'value'])
        .addForeignKeyConstraint(
          'plugin_facets_plugin_fk',
          ['domain_id', 'plugin_name'],
          'plugins',
          ['domain_id', 'name'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('plugin_facets_value_idx')
        .on('plugin_facets')
        .columns(['domain_id', 'kind', 'value'])
        .execute();

      await db.schema
        .createTable('plugin_versions')
        .addColumn('domain_id', text, (c) => c.notNull())
        .addColumn('plugin_name', text, (c) => c.notNull())
        .addColumn('version', text, (c) => c.notNull())
        .addColumn('manifest_json', text, (c) => c.notNull())
        .addColumn('artifact_digest', text, (c) => c.notNull())
        .addColumn('artifact_size', 'bigint', (c) => c.notNull())
        .addColumn('media_type', text, (c) => c.notNull())
        .addColumn('signatures_json', text, (c) => c.notNull())
        .addColumn('published_at', text, (c) => c.notNull())
        .addColumn('yanked_at', text)
        .addColumn('yank_reason', text)
        .addColumn('deprecation_message', text)
        .addPrimaryKeyConstraint('plugin_versions_pk', ['domain_id', 'plugin_name', 'version'])
        .addForeignKeyConstraint(
          'plugin_versions_plugin_fk',
          ['domain_id', 'plugin_name'],
          'plugins',
          ['domain_id', 'name'],
          (c) => c.onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createIndex('plugin_versions_digest_idx')
        .on('plugin_versions')
        .column('artifact_digest')
        .execute();

      await db.schema
        .createTable('plugin_dist_tags')
        .addColumn('domain_id', text, (c) => c.notNull())
        .addColumn('plugin_name', text, (c) => c.notNull())
        .addColumn('tag', text, (c) => c.notNull())
        .addColumn('version', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('plugin_dist_tags_pk', ['domain_id', 'plugin_name', 'tag'])
        .addForeignKeyConstraint(
          'plugin_dist_tags_version_fk',
          ['domain_id', 'plugin_name', 'version'],
          'plugin_versions',
          ['domain_id', 'plugin_name', 'version'],
          (c) => c.onDelete('cascade'),
        )
        .execute();

      await db.schema
        .createTable('remote_repositories')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('domain_id', text, (c) =>
          c.notNull().references('domains.id').onDelete('cascade'),
        )
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('endpoint', text, (c) => c.notNull())
        .addColumn('token', text)
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .addUniqueConstraint('remote_repositories_name_unique', ['domain_id', 'name'])
        .execute();
    },
  };
}
