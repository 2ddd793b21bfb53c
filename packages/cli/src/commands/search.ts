import { parseArgs } from 'node:util';
import type { PluginSummary } from '@plugboard/client';
import { PlugboardError, isPlugboardError } from '@plugboard/core';
import { byPriority, registryNamed } from '@plugboard/installer';
import { openClientContext } from '../client-config/open-installer.js';
import { formatColumns, toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard search <query> [--provider P] [--registry NAME] [--limit N] [--config FILE] [--json]

  Searches every configured registry (seed 003's GET /search: name, display name, description,
  labels), in priority order; a name found in several is shown from the first. A registry that
  cannot answer is skipped with a warning.`;

/** `plugboard search`: finds plugins across the configured registries. */
export const searchCommand: Command = {
  name: 'search',
  summary: 'search the configured registries for plugins',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        provider: { type: 'string' },
        registry: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length > 1)
      throw new PlugboardError('USAGE', 'search takes one query (quote it if it has spaces)');
    const query = positionals[0] ?? '';
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new PlugboardError('INVALID_ARGUMENT', '--limit must be a whole number from 1 to 1000');
    }
    const context = await openClientContext(io, values.config);
    const asked =
      values.registry === undefined
        ? byPriority(context.registries)
        : [registryNamed(context.registries, values.registry)];
    if (asked.length === 0) {
      throw new PlugboardError(
        'CONFIG_INVALID',
        'no registries are configured; add one under registries: in the client config',
      );
    }
    const found = new Map<string, { registry: string; plugin: PluginSummary }>();
    const warnings: string[] = [];
    let answered = 0;
    for (const registry of asked) {
      try {
        const page = await registry.client.search({
          q: query === '' ? undefined : query,
          provider: values.provider,
          limit,
        });
        answered += 1;
        for (const warning of page.warnings)
          warnings.push(`registry "${registry.name}": ${warning}`);
        for (const plugin of page.plugins) {
          if (!found.has(plugin.name)) found.set(plugin.name, { registry: registry.name, plugin });
        }
      } catch (error) {
        if (!isPlugboardError(error)) throw error;
        warnings.push(`registry "${registry.name}" was skipped: ${error.code}: ${error.message}`);
      }
    }
    for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
    if (answered === 0) {
      throw new PlugboardError(
        'UNAVAILABLE',
        'no registry answered the search; check the registries in the client config, or retry later',
      );
    }
    const rows = [...found.values()].sort((a, b) => a.plugin.name.localeCompare(b.plugin.name));
    if (values.json) {
      io.stdout(
        toJsonText({
          plugins: rows.map((row) => ({ ...row.plugin, registry: row.registry })),
          warnings,
        }),
      );
      return 0;
    }
    if (rows.length === 0) {
      io.stdout(`no plugins match "${query}"\n`);
      return 0;
    }
    io.stdout(
      formatColumns(
        ['NAME', 'LATEST', 'REGISTRY', 'DESCRIPTION'],
        rows.map(({ registry, plugin }) => [
          plugin.name,
          plugin.latest_version ?? '-',
          registry,
          oneLine(plugin.description ?? plugin.display_name ?? ''),
        ]),
      ),
    );
    return 0;
  },
};

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}
