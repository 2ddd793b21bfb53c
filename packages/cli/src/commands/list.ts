import { parseArgs } from 'node:util';
import {
  PlugboardError,
  isPlugboardError,
  outdatedStatus,
  parsePluginReference,
} from '@plugboard/core';
import {
  byPriority,
  registryNamed,
  type InstalledPlugin,
  type RegistryEndpoint,
} from '@plugboard/installer';
import type { CliIo } from '../cli-io.js';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import { formatColumns, toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard list [--outdated] [--config FILE] [--json]

  Lists installed plugins: version, state (enabled/disabled), signer and source.
  --outdated  asks the registries for newer versions: CURRENT, WANTED (what the installed spec
              allows) and LATEST, for plugins that have something newer (all of them with --json).`;

/** One row of `list --outdated`. */
interface OutdatedRow {
  readonly name: string;
  readonly current: string;
  readonly wanted: string | null;
  readonly latest: string | null;
  readonly outdated: boolean;
  readonly registry: string | null;
  readonly note?: string;
}

/** `plugboard list`: installed plugins, or those with newer versions. */
export const listCommand: Command = {
  name: 'list',
  summary: 'list installed plugins (--outdated: those with newer versions)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        outdated: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 0) throw new PlugboardError('USAGE', 'list takes no arguments');
    const context = await openClientContext(io, values.config);
    const installer = openInstaller(io, context);
    const installed = await installer.list();
    if (values.outdated)
      return printOutdated(io, await outdatedRows(installed, context.registries), values.json);
    if (values.json) {
      io.stdout(
        toJsonText({
          install_root: installer.layout.root,
          plugins: installed.map((plugin) => ({
            name: plugin.name,
            version: plugin.version,
            state: plugin.enabled ? 'enabled' : 'disabled',
            path: plugin.path,
            digest: plugin.record?.digest ?? null,
            signing_key_id: plugin.record?.signing_key_id ?? null,
            source: plugin.record?.source ?? null,
            locked: plugin.locked !== undefined,
          })),
        }),
      );
      return 0;
    }
    if (installed.length === 0) {
      io.stdout(
        `no plugins installed in ${installer.layout.root}; install one with "plugboard install <name>"\n`,
      );
      return 0;
    }
    io.stdout(
      formatColumns(
        ['NAME', 'VERSION', 'STATE', 'SIGNED BY', 'SOURCE'],
        installed.map((plugin) => [
          plugin.name,
          plugin.version,
          plugin.enabled ? 'enabled' : 'disabled',
          plugin.record?.signing_key_id ?? '-',
          plugin.record?.source ?? '(not installed by plugboard)',
        ]),
      ),
    );
    return 0;
  },
};

async function outdatedRows(
  installed: readonly InstalledPlugin[],
  registries: readonly RegistryEndpoint[],
): Promise<OutdatedRow[]> {
  const rows: OutdatedRow[] = [];
  for (const plugin of installed) {
    const base = { name: plugin.name, current: plugin.version };
    const requested = plugin.record?.requested ?? plugin.locked?.requested;
    const reference = requested === undefined ? undefined : safeParse(requested);
    if (reference?.kind !== 'registry') {
      rows.push({
        ...base,
        wanted: null,
        latest: null,
        outdated: false,
        registry: null,
        note: 'not installed from a registry',
      });
      continue;
    }
    const asked =
      reference.registry === undefined
        ? byPriority(registries)
        : [registryNamed(registries, reference.registry)];
    let row: OutdatedRow | undefined;
    for (const registry of asked) {
      try {
        const detail = await registry.client.getPlugin(plugin.name);
        const status = outdatedStatus(plugin.version, detail.versions, reference.spec ?? 'latest', {
          distTags: detail.dist_tags,
        });
        row = {
          ...base,
          wanted: status.wanted ?? null,
          latest: status.latest ?? null,
          outdated: status.outdated,
          registry: registry.name,
        };
        break;
      } catch (error) {
        if (!isPlugboardError(error)) throw error;
        row ??= {
          ...base,
          wanted: null,
          latest: null,
          outdated: false,
          registry: null,
          note: `${error.code}: ${error.message}`,
        };
      }
    }
    rows.push(
      row ?? {
        ...base,
        wanted: null,
        latest: null,
        outdated: false,
        registry: null,
        note: 'no registries configured',
      },
    );
  }
  return rows;
}

function printOutdated(io: CliIo, rows: readonly OutdatedRow[], json: boolean): number {
  if (json) {
    io.stdout(toJsonText({ plugins: rows }));
    return 0;
  }
  for (const row of rows) {
    if (
      row.note !== undefined &&
      row.registry === null &&
      row.note !== 'not installed from a registry'
    ) {
      io.stderr(`warning: ${row.name}: could not check for updates: ${row.note}\n`);
    }
  }
  const outdated = rows.filter((row) => row.outdated);
  if (outdated.length === 0) {
    io.stdout('all installed plugins are up to date\n');
    return 0;
  }
  io.stdout(
    formatColumns(
      ['NAME', 'CURRENT', 'WANTED', 'LATEST', 'REGISTRY'],
      outdated.map((row) => [
        row.name,
        row.current,
        row.wanted ?? '-',
        row.latest ?? '-',
        row.registry ?? '-',
      ]),
    ),
  );
  return 0;
}

function safeParse(text: string) {
  try {
    return parsePluginReference(text);
  } catch {
    return undefined;
  }
}
