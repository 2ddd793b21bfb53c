import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { openClientContext } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import { nameAtVersion, withLoginHint, writeRegistry } from '../client-config/write-registry.js';
import type { Command } from '../command.js';

const USAGE = `plugboard yank <name@version> [--reason TEXT] [--undo] [--registry NAME] [--config FILE] [--json]

  Withdraws a published version: ranges, latest and new installs skip it, but it stays
  downloadable for lock files that pin it. --undo lifts the yank.`;

/** `plugboard yank`: withdraws (or restores) a published version. */
export const yankCommand: Command = {
  name: 'yank',
  summary: 'withdraw a published version (--undo restores it)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        registry: { type: 'string' },
        reason: { type: 'string' },
        undo: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1)
      throw new PlugboardError('USAGE', 'yank needs one <name@version>');
    const { name, version } = nameAtVersion(positionals[0], 'yank');
    if (values.undo && values.reason !== undefined) {
      throw new PlugboardError('USAGE', '--reason goes with a yank, not with --undo');
    }
    const context = await openClientContext(io, values.config);
    const registry = writeRegistry(context, values.registry);
    const view = await withLoginHint(registry, () =>
      values.undo
        ? registry.client.unyankVersion(name, version)
        : registry.client.yankVersion(name, version, values.reason),
    );
    if (values.json) io.stdout(toJsonText({ registry: registry.name, name, ...view }));
    else
      io.stdout(
        values.undo
          ? `${name}@${version} is no longer yanked in registry "${registry.name}"\n`
          : `yanked ${name}@${version} in registry "${registry.name}"${values.reason === undefined ? '' : ` (${values.reason})`}\n`,
      );
    return 0;
  },
};
