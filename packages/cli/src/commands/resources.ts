import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { fieldText } from '../client-config/spaceone-view.js';
import { formatColumns, toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';
import { printWarnings } from '../providers/inventory-output.js';
import {
  INVENTORY_OPTIONS,
  INVENTORY_USAGE,
  openInventoryClient,
} from '../providers/inventory-target.js';
import { findProvider } from '../providers/provider-ref.js';

/** Columns shown when `-c` is not given. */
const DEFAULT_RESOURCE_COLUMNS = ['resource_type', 'name', 'state', 'ems_ref'];

/** Query parameters of `GET /resources` that `-p` sets. */
type FilterParameter = 'provider_id' | 'resource_type' | 'state' | 'q' | 'include_deleted';

/** `-p` keys and the query parameters they become; `provider` takes an id or a name. */
const FILTERS: Readonly<Record<string, FilterParameter>> = {
  provider: 'provider_id',
  provider_id: 'provider_id',
  type: 'resource_type',
  resource_type: 'resource_type',
  state: 'state',
  q: 'q',
  include_deleted: 'include_deleted',
};

const USAGE = `plugboard resources [-p key=value]... [-c col1,col2] [-l N] [--page N] [--json]

  Lists collected resources (GET /resources), by type, then name.
  -p  filter: provider (an id or a name), type (resource_type), state, q (part of the name or
      ems_ref), include_deleted=true
  -c  columns (default ${DEFAULT_RESOURCE_COLUMNS.join(',')}); dotted paths reach into
      fields (properties.kernel, tags.env)
  -l  rows per page (default 100, at most 1000); --page N reads page N
  --json  the server's answer as JSON
${INVENTORY_USAGE}`;

/** `plugboard resources`: the inventory as a table. */
export const resourcesCommand: Command = {
  name: 'resources',
  summary: 'list collected resources with chosen columns and filters',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        ...INVENTORY_OPTIONS,
        parameter: { type: 'string', short: 'p', multiple: true },
        columns: { type: 'string', short: 'c' },
        limit: { type: 'string', short: 'l', default: '100' },
        page: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
      },
    });
    const limit = Number(values.limit);
    const page = Number(values.page);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new PlugboardError('INVALID_ARGUMENT', '-l must be a whole number from 1 to 1000');
    }
    if (!Number.isInteger(page) || page < 1) {
      throw new PlugboardError('INVALID_ARGUMENT', '--page must be a whole number from 1');
    }
    const filters: Partial<Record<FilterParameter, string>> = {};
    for (const parameter of values.parameter ?? []) {
      const equals = parameter.indexOf('=');
      const key = parameter.slice(0, Math.max(equals, 0));
      const target = FILTERS[key];
      if (equals <= 0 || target === undefined) {
        throw new PlugboardError(
          'INVALID_ARGUMENT',
          `-p takes key=value with key one of ${Object.keys(FILTERS).join(', ')}, not "${parameter}"`,
        );
      }
      filters[target] = parameter.slice(equals + 1);
    }
    const client = await openInventoryClient(io, values);
    const providerRef = filters.provider_id;
    if (providerRef !== undefined)
      filters.provider_id = (await findProvider(client, providerRef)).id;
    const { include_deleted: includeDeleted, ...textFilters } = filters;
    const answer = await client.listResources({
      ...textFilters,
      include_deleted: includeDeleted === undefined ? undefined : booleanFilter(includeDeleted),
      limit,
      page,
    });
    printWarnings(io, answer);
    if (values.json) {
      io.stdout(toJsonText(answer));
      return 0;
    }
    const resources = answer.resources;
    const total = answer.total;
    if (resources.length === 0) {
      io.stdout(`no resources (total ${total})\n`);
      return 0;
    }
    const columns =
      values.columns === undefined
        ? DEFAULT_RESOURCE_COLUMNS
        : values.columns
            .split(',')
            .map((column) => column.trim())
            .filter((column) => column !== '');
    const rows = resources.map((resource) =>
      columns.map((column) => fieldText(resource as unknown as Record<string, unknown>, column)),
    );
    io.stdout(
      formatColumns(
        columns.map((column) => column.toUpperCase()),
        rows,
      ),
    );
    const first = (page - 1) * limit + 1;
    io.stdout(`${first}–${first + resources.length - 1} of ${total}\n`);
    return 0;
  },
};

/** `-p include_deleted=true|false`. */
function booleanFilter(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new PlugboardError(
    'INVALID_ARGUMENT',
    `-p include_deleted takes true or false, not "${value}"`,
  );
}
