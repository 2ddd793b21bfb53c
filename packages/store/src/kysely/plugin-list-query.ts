import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { PluginPage } from '../metadata/plugin-query.js';
import type { NormalizedPluginQuery } from '../metadata/validate-store-input.js';
import type { Database, FacetKind } from './database-tables.js';
import { toPluginRecord } from './row-mapping.js';

type PluginsBuilder = ExpressionBuilder<Database, 'plugins'>;

/**
 * Runs a plugin list: filters, one sort with name as tie-breaker, one page, and the total.
 * The total comes from a window count in the same statement, so it always agrees with the page;
 * only a page past the end needs a second count.
 */
export async function listPluginPage(
  db: Kysely<Database>,
  domainId: string,
  query: NormalizedPluginQuery,
): Promise<PluginPage> {
  const filtered = db
    .selectFrom('plugins')
    .where('plugins.domain_id', '=', domainId)
    .where((eb) => eb.and(filterConditions(eb, domainId, query)));

  let ordered = filtered
    .selectAll('plugins')
    .select((eb) => eb.fn.countAll<number | string>().over().as('total_count'))
    .orderBy(`plugins.${query.sort}`, query.order);
  if (query.sort !== 'name') ordered = ordered.orderBy('plugins.name', 'asc');
  const rows = await ordered.limit(query.limit).offset(query.offset).execute();

  const first = rows[0];
  let total: number;
  if (first !== undefined) {
    total = Number(first.total_count);
  } else if (query.offset === 0) {
    total = 0;
  } else {
    const counted = await filtered
      .select((eb) => eb.fn.countAll<number | string>().as('count'))
      .executeTakeFirst();
    total = Number(counted?.count ?? 0);
  }
  return { plugins: rows.map((row) => toPluginRecord(row)), total };
}

function filterConditions(
  eb: PluginsBuilder,
  domainId: string,
  query: NormalizedPluginQuery,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (query.q !== undefined) {
    const pattern = `%${escapeLike(asciiLowerCase(query.q))}%`;
    conditions.push(
      eb.or([
        containsPattern(sql.ref('plugins.name'), pattern),
        containsPattern(sql.ref('plugins.display_name'), pattern),
        containsPattern(sql.ref('plugins.description'), pattern),
        // An uncorrelated IN: the domain's labels are matched once, not once per plugin row.
        eb(
          'plugins.name',
          'in',
          eb
            .selectFrom('plugin_facets')
            .select('plugin_facets.plugin_name')
            .where('plugin_facets.domain_id', '=', domainId)
            .where('plugin_facets.kind', '=', 'label')
            .where(containsPattern(sql.ref('plugin_facets.value'), pattern)),
        ),
      ]),
    );
  }
  if (query.type !== undefined) conditions.push(eb('plugins.type', '=', query.type));
  if (query.state !== undefined) {
    conditions.push(eb('plugins.enabled', '=', query.state === 'enabled' ? 1 : 0));
  }
  const facetFilters: [FacetKind, string | undefined][] = [
    ['provider', query.provider],
    ['label', query.label],
    ['capability', query.capability],
  ];
  for (const [kind, value] of facetFilters) {
    if (value === undefined) continue;
    conditions.push(
      eb.exists(facetRows(eb, domainId, kind).where('plugin_facets.value', '=', value)),
    );
  }
  return conditions;
}

function facetRows(eb: PluginsBuilder, domainId: string, kind: FacetKind) {
  return eb
    .selectFrom('plugin_facets')
    .select(sql<number>`1`.as('one'))
    .where('plugin_facets.domain_id', '=', domainId)
    .whereRef('plugin_facets.plugin_name', '=', 'plugins.name')
    .where('plugin_facets.kind', '=', kind);
}

/**
 * `lower(column) LIKE pattern` with `\` as escape character, spelled the same on both backends.
 * Both lower only ASCII letters (SQLite always, PostgreSQL under the columns' "C" collation), so the
 * pattern is lowered the same way and results agree.
 */
function containsPattern(column: Expression<unknown>, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${column}) like ${pattern} escape '\\'`;
}

function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
