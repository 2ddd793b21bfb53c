import { parseArgs } from 'node:util';
import type { PluginDetail, ResolvedPlugin } from '@plugboard/client';
import { PlugboardError, isPlugboardError } from '@plugboard/core';
import { byPriority, registryNamed } from '@plugboard/installer';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard show <name>[@spec] [--registry NAME] [--config FILE] [--json]

  Shows a plugin as the first registry (by priority) that has it sees it: description, versions
  (yanked and deprecated marked, signed ones starred), dist-tags, and what is installed here.
  @spec also resolves that spec (^1.2, latest, beta) and shows the version it picks.`;

/** `plugboard show`: one plugin's details from the registries, and its local install. */
export const showCommand: Command = {
  name: 'show',
  summary: 'show a plugin: versions, dist-tags, what a spec resolves to, what is installed',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        registry: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [target, ...extra] = positionals;
    if (target === undefined || extra.length > 0)
      throw new PlugboardError('USAGE', 'show needs one <name>[@spec]');
    const at = target.indexOf('@');
    const name = at > 0 ? target.slice(0, at) : target;
    const spec = at > 0 ? target.slice(at + 1) : undefined;
    const context = await openClientContext(io, values.config);
    const installed = (await openInstaller(io, context).list()).filter(
      (plugin) => plugin.name === name,
    );
    const asked =
      values.registry === undefined
        ? byPriority(context.registries)
        : [registryNamed(context.registries, values.registry)];
    let found: { registry: string; detail: PluginDetail; resolved?: ResolvedPlugin } | undefined;
    const misses: string[] = [];
    for (const registry of asked) {
      try {
        const detail = await registry.client.getPlugin(name);
        const resolved = spec === undefined ? undefined : await registry.client.resolve(name, spec);
        found = {
          registry: registry.name,
          detail,
          ...(resolved === undefined ? {} : { resolved }),
        };
        break;
      } catch (error) {
        if (!isPlugboardError(error)) throw error;
        if (spec !== undefined && error.code === 'VERSION_NOT_FOUND') throw error;
        misses.push(`registry "${registry.name}": ${error.code}`);
      }
    }
    if (found === undefined && installed.length === 0) {
      throw new PlugboardError(
        'PLUGIN_NOT_FOUND',
        `no plugin named "${name}" in ${asked.length === 0 ? 'any registry (none are configured)' : misses.join(', ')}, and it is not installed; try "plugboard search ${name}"`,
        { details: { name } },
      );
    }
    const local = installed.map((plugin) => ({
      version: plugin.version,
      state: plugin.enabled ? 'enabled' : 'disabled',
      digest: plugin.record?.digest ?? null,
      signing_key_id: plugin.record?.signing_key_id ?? null,
      source: plugin.record?.source ?? null,
      path: plugin.path,
    }));
    if (values.json) {
      io.stdout(
        toJsonText({
          name,
          registry: found?.registry ?? null,
          plugin: found?.detail ?? null,
          resolved: found?.resolved ?? null,
          installed: local,
        }),
      );
      return 0;
    }
    const lines: string[] = [];
    if (found !== undefined) {
      const { detail } = found;
      lines.push(
        `${detail.name}${detail.display_name === undefined ? '' : ` (${detail.display_name})`}${detail.description === undefined ? '' : ` — ${detail.description}`}`,
      );
      lines.push(
        `registry:   ${found.registry} (${detail.repository_type} repository "${detail.repository.name}")`,
      );
      lines.push(`state:      ${detail.state}`);
      if (detail.type !== undefined) lines.push(`type:       ${detail.type}`);
      if (detail.providers.length > 0) lines.push(`providers:  ${detail.providers.join(', ')}`);
      if (detail.capabilities.length > 0)
        lines.push(`capabilities: ${detail.capabilities.join(', ')}`);
      lines.push(`latest:     ${detail.latest_version ?? '-'}`);
      const tags = Object.entries(detail.dist_tags).map(([tag, version]) => `${tag}=${version}`);
      if (tags.length > 0) lines.push(`dist-tags:  ${tags.join(' ')}`);
      lines.push('versions:');
      for (const version of detail.versions) {
        const marks = [
          version.signatures.length > 0
            ? `signed by ${version.signatures.map((s) => s.key_id).join(', ')}`
            : '',
          version.yanked
            ? `yanked${version.yank_reason === undefined ? '' : `: ${version.yank_reason}`}`
            : '',
          version.deprecated === undefined ? '' : `deprecated: ${version.deprecated}`,
          version.digest === undefined ? 'no artifact' : '',
        ].filter((mark) => mark !== '');
        lines.push(`  ${version.version}${marks.length === 0 ? '' : `  (${marks.join('; ')})`}`);
      }
      if (found.resolved !== undefined) {
        lines.push(`${name}@${spec ?? ''} resolves to ${found.resolved.version}`);
        for (const warning of found.resolved.warnings) lines.push(`  warning: ${warning}`);
      }
      for (const warning of detail.warnings ?? []) lines.push(`warning: ${warning}`);
    } else {
      lines.push(
        `${name}: not in any configured registry (${misses.join(', ') || 'none configured'})`,
      );
    }
    lines.push(
      local.length === 0
        ? 'installed:  no'
        : `installed:  ${local.map((l) => `${l.version} ${l.state}${l.digest === null ? '' : ` (${l.digest})`}`).join(', ')}`,
    );
    io.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};
