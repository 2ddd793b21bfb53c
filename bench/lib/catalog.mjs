// Generates the registry catalog the read benchmarks run on: N plugins × 10 versions in a SQLite
// database. A few template plugins go through @plugboard/store's publishVersion (so every row has
// exactly the shape the store writes); the rest are copies of the templates' rows, renamed, inserted
// in one transaction. 100,000 publishes one by one would take minutes; the copy takes seconds.
import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { openMetadataStore } from '@plugboard/store';

/** Domain every generated plugin belongs to: the one a fresh server creates. */
export const CATALOG_DOMAIN_ID = 'default';

/** Versions each generated plugin gets; `^1` resolves to 1.8.0, `latest` is 2.0.0. */
export const CATALOG_VERSIONS = [
  '1.0.0',
  '1.1.0',
  '1.2.0',
  '1.3.0',
  '1.4.0',
  '1.5.0',
  '1.6.0',
  '1.7.0',
  '1.8.0',
  '2.0.0',
];

const PROVIDERS = ['aws', 'azure', 'google_cloud', 'vmware', 'openstack', 'oracle', 'alibaba'];
const TYPES = [
  'inventory.Collector',
  'monitoring.DataSource',
  'notification.Protocol',
  'cost.DataSource',
];
/** Plugins that differ in anything but their number: every provider with every type. */
const TEMPLATE_COUNT = PROVIDERS.length * TYPES.length;
const NAME_PREFIX = 'bench-plugin-';

/** Name of the i-th generated plugin (zero-padded so names sort like numbers). */
export function catalogPluginName(index) {
  return `${NAME_PREFIX}${String(index).padStart(5, '0')}`;
}

/** The manifest of one generated version: about the size of a real SpaceONE/PulumiCost manifest. */
export function catalogManifest(index, version) {
  const provider = PROVIDERS[index % PROVIDERS.length];
  const name = catalogPluginName(index);
  const group = index % TEMPLATE_COUNT;
  return {
    name,
    version,
    display_name: `Bench ${name}`,
    description: `Generated plugin ${name} collecting ${provider} resources for the read benchmarks; version ${version}.`,
    type: TYPES[index % TYPES.length],
    providers: [provider],
    labels: ['bench', provider, `group-${group}`],
    tags: { tier: group % 3 === 0 ? 'gold' : 'standard', team: `team-${group}` },
    capabilities: [
      { type: 'provider', endpoints: ['connect', 'collect', 'disconnect', 'validate_connection'] },
    ],
    runtime: { type: 'node', entrypoint: 'dist/main.js' },
  };
}

function artifactDigest(name, version) {
  return `sha256:${createHash('sha256').update(`${name}@${version}`).digest('hex')}`;
}

/**
 * Writes `plugins` × `CATALOG_VERSIONS.length` versions of LOCAL plugins in the default domain
 * into the SQLite database at `databasePath` (created and migrated by the store).
 */
export async function generateCatalog(databasePath, { plugins }) {
  const templates = Math.min(plugins, TEMPLATE_COUNT);
  const store = await openMetadataStore(`sqlite:${databasePath}`);
  try {
    if ((await store.getDomain(CATALOG_DOMAIN_ID)) === undefined) {
      await store.createDomain({ id: CATALOG_DOMAIN_ID, name: 'Default' });
    }
    for (let index = 0; index < templates; index++) await publishTemplate(store, index);
  } finally {
    await store.close();
  }
  if (plugins > templates) copyTemplates(databasePath, templates, plugins);
}

async function publishTemplate(store, index) {
  for (const version of CATALOG_VERSIONS) {
    const manifest = catalogManifest(index, version);
    await store.publishVersion(CATALOG_DOMAIN_ID, {
      plugin: {
        name: manifest.name,
        displayName: manifest.display_name,
        description: manifest.description,
        type: manifest.type,
        providers: manifest.providers,
        labels: manifest.labels,
        tags: manifest.tags,
        manifest,
      },
      version,
      manifest,
      artifact: {
        digest: artifactDigest(manifest.name, version),
        size: 40_000 + index,
        mediaType: 'application/vnd.plugboard.plugin.v1+tar+gzip',
      },
    });
  }
}

/**
 * Copies every row naming a template plugin (any table with a `plugin_name` column, and `plugins`
 * itself) once per generated plugin, with the template's name replaced in every text value.
 */
function copyTemplates(databasePath, templates, plugins) {
  const db = new BetterSqlite3(databasePath);
  try {
    db.pragma('foreign_keys = ON');
    const tables = db
      .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`)
      .all()
      .map((row) => ({ table: row.name, columns: db.pragma(`table_info(${quote(row.name)})`) }))
      .map(({ table, columns }) => ({ table, columns: columns.map((c) => c.name) }))
      .map(({ table, columns }) => ({
        table,
        columns,
        key:
          table === 'plugins'
            ? 'name'
            : columns.includes('plugin_name')
              ? 'plugin_name'
              : undefined,
      }))
      .filter((t) => t.key !== undefined && t.columns.includes('domain_id'))
      // Parents first, so foreign keys hold at every insert.
      .sort((a, b) => order(a.table) - order(b.table));
    const templateRows = tables.map(({ table, key }) => {
      const select = db.prepare(
        `select * from ${quote(table)} where domain_id = ? and ${quote(key)} = ?`,
      );
      return Array.from({ length: templates }, (_, t) =>
        select.all(CATALOG_DOMAIN_ID, catalogPluginName(t)),
      );
    });
    const inserts = tables.map(({ table, columns }) =>
      db.prepare(
        `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
      ),
    );
    db.transaction(() => {
      for (let index = templates; index < plugins; index++) {
        const template = index % templates;
        const from = catalogPluginName(template);
        const to = catalogPluginName(index);
        tables.forEach(({ columns }, t) => {
          for (const row of templateRows[t][template]) {
            inserts[t].run(columns.map((column) => copyValue(column, row, from, to)));
          }
        });
      }
    })();
  } finally {
    db.close();
  }
}

function copyValue(column, row, from, to) {
  const value = row[column];
  if (column === 'artifact_digest') return artifactDigest(to, row.version);
  return typeof value === 'string' ? value.replaceAll(from, to) : value;
}

function order(table) {
  const known = ['plugins', 'plugin_versions', 'plugin_facets', 'plugin_dist_tags'];
  const at = known.indexOf(table);
  return at < 0 ? known.length : at;
}

function quote(identifier) {
  return `"${identifier.replaceAll('"', '""')}"`;
}
