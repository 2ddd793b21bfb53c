import { parseArgs } from 'node:util';
import type { PluginListQuery, PluginSortField } from '@plugboard/client';
import { PlugboardError } from '@plugboard/core';
import { stringify } from 'yaml';
import { openClientContext } from '../client-config/open-installer.js';
import {
  DEFAULT_PLUGIN_COLUMNS,
  csvText,
  fieldText,
  spaceoneTable,
  spaceoneView,
} from '../client-config/spaceone-view.js';
import { toJsonText } from '../client-config/text-table.js';
import { writeRegistry } from '../client-config/write-registry.js';
import type { Command } from '../command.js';

const USAGE = `plugboard plugins [-p key=value]... [-c col1,col2] [-o table|json|yaml|csv] [-s [-]field] [-l N] [--registry NAME] [--config FILE]

  Lists a registry's plugins as "spacectl list repository.Plugin" does (seed 002): the chosen
  columns in a table followed by " Count: n / total" (NO DATA when empty).
  -p  filter: provider, service_type (or type), capability, label, repository_type
      (LOCAL|MANAGED|REMOTE), state (enabled|disabled), q (text); any other field is matched
      exactly on the listed rows (plugin_id=…, image=…)
  -c  columns (default ${DEFAULT_PLUGIN_COLUMNS.join(',')}); plugin_id is the plugin's name,
      name its display name; dotted paths reach into fields (tags.description)
  -s  sort by a field, "-" first for descending
  -l  at most N rows (default 100)`;

const SERVER_FILTERS: Readonly<Record<string, keyof PluginListQuery>> = {
  provider: 'provider',
  type: 'type',
  service_type: 'type',
  capability: 'capability',
  label: 'label',
  repository_type: 'repository',
  state: 'state',
  q: 'q',
};
const SERVER_SORTS: Readonly<Record<string, PluginSortField>> = {
  plugin_id: 'name',
  created_at: 'created_at',
  updated_at: 'updated_at',
};
/** Rows read for filters and sorts the server cannot do. */
const CLIENT_SIDE_WINDOW = 1000;

/** `plugboard plugins`: spacectl-style listing of registry plugins. */
export const pluginsCommand: Command = {
  name: 'plugins',
  summary: 'list registry plugins with chosen columns, spacectl style (Count: n / total)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: joinDescendingSort(argv),
      allowPositionals: true,
      options: {
        parameter: { type: 'string', short: 'p', multiple: true },
        columns: { type: 'string', short: 'c' },
        output: { type: 'string', short: 'o', default: 'table' },
        sort: { type: 'string', short: 's' },
        limit: { type: 'string', short: 'l' },
        registry: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.some((positional) => positional !== 'repository.Plugin')) {
      throw new PlugboardError(
        'USAGE',
        'plugins takes options only (see plugboard plugins --help)',
      );
    }
    const output = values.json ? 'json' : values.output;
    if (!['table', 'json', 'yaml', 'csv'].includes(output)) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `-o must be table, json, yaml or csv, not "${output}"`,
      );
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new PlugboardError('INVALID_ARGUMENT', '-l must be a whole number from 1 to 1000');
    }
    const query: Record<string, unknown> = {};
    const localFilters: [string, string][] = [];
    for (const parameter of values.parameter ?? []) {
      const equals = parameter.indexOf('=');
      if (equals <= 0)
        throw new PlugboardError('INVALID_ARGUMENT', `-p takes key=value, not "${parameter}"`);
      const key = parameter.slice(0, equals);
      const value = parameter.slice(equals + 1);
      const serverKey = SERVER_FILTERS[key];
      if (serverKey !== undefined)
        query[serverKey] = serverKey === 'repository' ? value.toUpperCase() : value;
      else localFilters.push([key, value]);
    }
    const sortField = values.sort?.replace(/^-/, '');
    const descending = values.sort?.startsWith('-') === true;
    const serverSort = sortField === undefined ? undefined : SERVER_SORTS[sortField];
    const clientSide =
      localFilters.length > 0 || (sortField !== undefined && serverSort === undefined);
    if (serverSort !== undefined) {
      query['sort'] = serverSort;
      query['order'] = descending ? 'desc' : 'asc';
    }
    query['limit'] = clientSide ? CLIENT_SIDE_WINDOW : limit;
    const context = await openClientContext(io, values.config);
    const registry = writeRegistry(context, values.registry);
    const page = await registry.client.listPlugins(query);
    for (const warning of page.warnings) io.stderr(`warning: ${warning}\n`);
    let views = page.plugins.map(spaceoneView);
    let total = page.total;
    if (clientSide) {
      views = views.filter((view) =>
        localFilters.every(([key, value]) => fieldText(view, key) === value),
      );
      if (sortField !== undefined && serverSort === undefined) {
        views.sort(
          (a, b) =>
            fieldText(a, sortField).localeCompare(fieldText(b, sortField)) * (descending ? -1 : 1),
        );
      }
      total = views.length;
      views = views.slice(0, limit);
    }
    const columns =
      values.columns === undefined
        ? DEFAULT_PLUGIN_COLUMNS
        : values.columns
            .split(',')
            .map((c) => c.trim())
            .filter((c) => c !== '');
    const rows = views.map((view) => columns.map((column) => fieldText(view, column)));
    const records = views.map((view) =>
      Object.fromEntries(columns.map((column) => [column, fieldText(view, column)])),
    );
    if (output === 'json') io.stdout(toJsonText({ results: records, total_count: total }));
    else if (output === 'yaml') io.stdout(stringify({ results: records, total_count: total }));
    else if (output === 'csv') io.stdout(csvText(columns, rows));
    else io.stdout(spaceoneTable(columns, rows, total));
    return 0;
  },
};

/** `-s -name` (spacectl's descending sort) would read as a flag: pass it as `--sort=-name`. */
function joinDescendingSort(argv: readonly string[]): string[] {
  const args: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    const next = argv[index + 1];
    if ((arg === '-s' || arg === '--sort') && next?.startsWith('-') === true && next.length > 1) {
      args.push(`--sort=${next}`);
      index += 1;
    } else {
      args.push(arg);
    }
  }
  return args;
}
