import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import type { CliIo } from '../cli-io.js';
import { formatColumns, toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';
import {
  INVENTORY_OPTIONS,
  INVENTORY_USAGE,
  openInventoryClient,
} from '../providers/inventory-target.js';
import { findProvider } from '../providers/provider-ref.js';
import { printWarnings, text } from '../providers/inventory-output.js';

const USAGE = `plugboard provider create <name> --plugin VENDOR:TYPE [--endpoint E] [--infrastructure I]
                          [--set key=value]... [--set-env key=ENV_VAR]... [--disabled] [--json]
plugboard provider list [--plugin VENDOR:TYPE] [--json]
plugboard provider show <id|name> [--json]
plugboard provider delete <id|name>

  Manages providers (seed 004): configured connections of a provider plugin.
  --set      a connection_config value; a JSON number, boolean, null, object or array is sent
             as such (port=5432), anything else as text (user=postgres; '"5432"' is text)
  --set-env  a connection_config value read from an environment variable, so secrets stay out
             of the command line and shell history (password=PGPASSWORD)
  Secret parameters are never shown: the server answers "********".
${INVENTORY_USAGE}`;

/** Columns of `provider list`. */
const LIST_COLUMNS = ['ID', 'NAME', 'PLUGIN', 'ENDPOINT', 'ENABLED', 'INSTALLED'] as const;

/** `plugboard provider create|list|show|delete`. */
export const providerCommand: Command = {
  name: 'provider',
  summary: 'create, list, show and delete providers (connections of provider plugins)',
  usage: USAGE,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action === 'create') return create(rest, io);
    if (action === 'list') return list(rest, io);
    if (action === 'show') return show(rest, io);
    if (action === 'delete') return remove(rest, io);
    throw new PlugboardError(
      'USAGE',
      `provider needs create, list, show or delete${action === undefined ? '' : `, not "${action}"`}; see plugboard provider --help`,
    );
  },
};

async function create(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      ...INVENTORY_OPTIONS,
      plugin: { type: 'string' },
      endpoint: { type: 'string' },
      infrastructure: { type: 'string' },
      set: { type: 'string', multiple: true },
      'set-env': { type: 'string', multiple: true },
      disabled: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) {
    throw new PlugboardError('USAGE', 'provider create needs exactly one <name>');
  }
  const { vendor, providerType } = pluginKey(values.plugin, 'provider create');
  const config: Record<string, unknown> = {};
  for (const pair of values.set ?? []) {
    const [key, text] = keyValue(pair, '--set');
    config[key] = configValue(text);
  }
  for (const pair of values['set-env'] ?? []) {
    const [key, variable] = keyValue(pair, '--set-env');
    const value = io.env[variable];
    if (value === undefined) {
      throw new PlugboardError(
        'INVALID_ARGUMENT',
        `--set-env ${key}=${variable}: the environment variable ${variable} is not set`,
      );
    }
    config[key] = value;
  }
  const client = await openInventoryClient(io, values);
  const created = await client.createProvider({
    name,
    vendor,
    provider_type: providerType,
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values.infrastructure === undefined ? {} : { infrastructure: values.infrastructure }),
    connection_config: config,
    enabled: !values.disabled,
  });
  printWarnings(io, created);
  if (values.json) io.stdout(toJsonText(created));
  else io.stdout(`created provider ${created.name} (${created.id})\n`);
  return 0;
}

async function list(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      ...INVENTORY_OPTIONS,
      plugin: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length > 0) throw new PlugboardError('USAGE', 'provider list takes options only');
  const filter =
    values.plugin === undefined ? undefined : pluginKey(values.plugin, 'provider list');
  const client = await openInventoryClient(io, values);
  const page = await client.listProviders({
    limit: 1000,
    vendor: filter?.vendor,
    provider_type: filter?.providerType,
  });
  printWarnings(io, page);
  const providers = page.providers;
  if (values.json) {
    io.stdout(toJsonText(page));
    return 0;
  }
  if (providers.length === 0) {
    io.stdout('no providers\n');
    return 0;
  }
  const rows = providers.map((provider) => [
    provider.id,
    provider.name,
    provider.plugin_key,
    text(provider.endpoint),
    provider.enabled ? 'yes' : 'no',
    provider.plugin.installed ? 'yes' : 'no',
  ]);
  io.stdout(formatColumns(LIST_COLUMNS, rows));
  return 0;
}

async function show(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, ref } = refArguments(argv, 'show');
  const client = await openInventoryClient(io, values);
  const provider = await findProvider(client, ref);
  if (values.json) {
    io.stdout(toJsonText(provider));
    return 0;
  }
  const plugin = provider.plugin;
  const lines: [string, string][] = [
    ['id', provider.id],
    ['name', provider.name],
    ['plugin', provider.plugin_key],
    [
      'installed',
      plugin.installed
        ? `yes (${text(plugin.name)} ${text(plugin.version)})`
        : 'no: runs fail until the plugin is uploaded',
    ],
    ['endpoint', text(provider.endpoint)],
    ['infrastructure', text(provider.infrastructure)],
    ['enabled', provider.enabled ? 'yes' : 'no'],
    ['created', provider.created_at],
    ['updated', provider.updated_at],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  let out = lines.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}\n`).join('');
  const config = provider.connection_config;
  if (Object.keys(config).length > 0) {
    out += 'connection_config:\n';
    for (const [key, value] of Object.entries(config)) {
      out += `  ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
    }
  }
  io.stdout(out);
  return 0;
}

async function remove(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, ref } = refArguments(argv, 'delete');
  const client = await openInventoryClient(io, values);
  const provider = await findProvider(client, ref);
  await client.deleteProvider(provider.id);
  io.stdout(`deleted provider ${provider.name} (${provider.id}) with its runs and resources\n`);
  return 0;
}

/** The flags and the one `<id|name>` of `provider show` and `provider delete`. */
function refArguments(argv: readonly string[], action: string) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...INVENTORY_OPTIONS, json: { type: 'boolean', default: false } },
  });
  const [ref, ...extra] = positionals;
  if (ref === undefined || extra.length > 0) {
    throw new PlugboardError('USAGE', `provider ${action} needs exactly one <id|name>`);
  }
  return { values, ref };
}

/** `postgresql:server` → vendor and provider type. */
function pluginKey(
  key: string | undefined,
  command: string,
): { vendor: string; providerType: string } {
  const colon = key?.indexOf(':') ?? -1;
  if (key === undefined || colon <= 0 || colon === key.length - 1) {
    throw new PlugboardError(
      'USAGE',
      `${command} needs --plugin VENDOR:TYPE (e.g. --plugin postgresql:server; see GET /provider-plugins)`,
    );
  }
  return { vendor: key.slice(0, colon), providerType: key.slice(colon + 1) };
}

function keyValue(pair: string, flag: string): [string, string] {
  const equals = pair.indexOf('=');
  if (equals <= 0) throw new PlugboardError('USAGE', `${flag} takes key=value, not "${pair}"`);
  return [pair.slice(0, equals), pair.slice(equals + 1)];
}

/** JSON numbers, booleans, null, objects and arrays as such; anything else is text. */
function configValue(textValue: string): unknown {
  try {
    return JSON.parse(textValue) as unknown;
  } catch {
    return textValue;
  }
}
