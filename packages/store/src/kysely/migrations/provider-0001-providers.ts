import { sql, type Kysely, type Migration } from 'kysely';
import type { ColumnTypes } from '../column-types.js';

/**
 * Providers, collection runs, resources and resource drift (seed 004). Runs, resources and drift
 * cascade from their provider. A partial unique index allows one pending-or-running run per
 * provider, so two replicas can never queue two.
 */
export function providersMigration(types: ColumnTypes): Migration {
  const { text } = types;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('providers')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('domain_id', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('infrastructure', text)
        .addColumn('vendor', text, (c) => c.notNull())
        .addColumn('provider_type', text, (c) => c.notNull())
        .addColumn('endpoint', text)
        .addColumn('organization', text)
        .addColumn('config_json', text, (c) => c.notNull())
        .addColumn('secret_keys_json', text, (c) => c.notNull())
        .addColumn('secrets_ciphertext', text)
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .addUniqueConstraint('providers_name_unique', ['domain_id', 'name'])
        .execute();
      await db.schema
        .createIndex('providers_plugin_idx')
        .on('providers')
        .columns(['vendor', 'provider_type'])
        .execute();

      await db.schema
        .createTable('collection_runs')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('domain_id', text, (c) => c.notNull())
        .addColumn('provider_id', text, (c) =>
          c.notNull().references('providers.id').onDelete('cascade'),
        )
        .addColumn('state', text, (c) => c.notNull())
        .addColumn('plugin_key', text, (c) => c.notNull())
        .addColumn('plugin_version', text)
        .addColumn('resource_types_json', text)
        .addColumn('requested_by', text)
        .addColumn('found', 'integer', (c) => c.notNull())
        .addColumn('created', 'integer', (c) => c.notNull())
        .addColumn('updated', 'integer', (c) => c.notNull())
        .addColumn('unchanged', 'integer', (c) => c.notNull())
        .addColumn('removed', 'integer', (c) => c.notNull())
        .addColumn('invalid', 'integer', (c) => c.notNull())
        .addColumn('error_code', text)
        .addColumn('error_message', text)
        .addColumn('cancel_requested', 'integer', (c) => c.notNull())
        .addColumn('worker_id', text)
        .addColumn('created_at', text, (c) => c.notNull())
        .addColumn('started_at', text)
        .addColumn('finished_at', text)
        .addColumn('heartbeat_at', text)
        .execute();
      await db.schema
        .createIndex('collection_runs_domain_idx')
        .on('collection_runs')
        .columns(['domain_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('collection_runs_provider_idx')
        .on('collection_runs')
        .columns(['provider_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('collection_runs_state_idx')
        .on('collection_runs')
        .columns(['state', 'created_at'])
        .execute();
      await db.schema
        .createIndex('collection_runs_active_unique')
        .on('collection_runs')
        .column('provider_id')
        .unique()
        .where(sql.ref('state'), 'in', ['pending', 'running'])
        .execute();

      await db.schema
        .createTable('resources')
        .addColumn('id', text, (c) => c.primaryKey())
        .addColumn('domain_id', text, (c) => c.notNull())
        .addColumn('provider_id', text, (c) =>
          c.notNull().references('providers.id').onDelete('cascade'),
        )
        .addColumn('ems_ref', text, (c) => c.notNull())
        .addColumn('resource_type', text, (c) => c.notNull())
        .addColumn('name', text, (c) => c.notNull())
        .addColumn('state', text)
        .addColumn('properties_json', text, (c) => c.notNull())
        .addColumn('relationships_json', text, (c) => c.notNull())
        .addColumn('parent_ems_ref', text)
        .addColumn('tags_json', text, (c) => c.notNull())
        .addColumn('fingerprint', text, (c) => c.notNull())
        .addColumn('first_seen_at', text, (c) => c.notNull())
        .addColumn('last_seen_at', text, (c) => c.notNull())
        .addColumn('last_seen_run_id', text, (c) => c.notNull())
        .addColumn('updated_at', text, (c) => c.notNull())
        .addColumn('deleted_at', text)
        .addUniqueConstraint('resources_ems_ref_unique', ['provider_id', 'ems_ref'])
        .execute();
      await db.schema
        .createIndex('resources_domain_type_idx')
        .on('resources')
        .columns(['domain_id', 'resource_type', 'name'])
        .execute();

      await db.schema
        .createTable('resource_drift')
        .addColumn('resource_id', text, (c) =>
          c.notNull().references('resources.id').onDelete('cascade'),
        )
        .addColumn('run_id', text, (c) => c.notNull())
        .addColumn('field', text, (c) => c.notNull())
        .addColumn('old_value_json', text)
        .addColumn('new_value_json', text)
        .addColumn('changed_at', text, (c) => c.notNull())
        .addPrimaryKeyConstraint('resource_drift_pk', ['resource_id', 'run_id', 'field'])
        .execute();
      await db.schema
        .createIndex('resource_drift_changed_idx')
        .on('resource_drift')
        .columns(['resource_id', 'changed_at'])
        .execute();
    },
  };
}
