import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard remove <name>[@version] [--clean] [--config FILE] [--json]

  Removes an installed plugin (every version, or the one named) and its plugboard.lock entry.
  --clean also deletes its downloaded packages from the cache.`;

/** `plugboard remove`: uninstalls a plugin. */
export const removeCommand: Command = {
  name: 'remove',
  summary: 'remove an installed plugin (and its cached packages with --clean)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        clean: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const [target, ...extra] = positionals;
    if (target === undefined || extra.length > 0) {
      throw new PlugboardError('USAGE', 'remove needs one <name>[@version]');
    }
    const at = target.indexOf('@');
    const name = at > 0 ? target.slice(0, at) : target;
    const version = at > 0 ? target.slice(at + 1) : undefined;
    const installer = openInstaller(io, await openClientContext(io, values.config));
    const outcome = await installer.remove(name, version, { clean: values.clean });
    if (values.json) {
      io.stdout(
        toJsonText({
          name,
          removed: outcome.removed,
          lock_updated: outcome.lockUpdated,
          cache_cleaned: outcome.cacheCleaned,
        }),
      );
      return 0;
    }
    io.stdout(
      outcome.removed.length === 0
        ? `${name} had no installed folder; its plugboard.lock entry was dropped\n`
        : `removed ${outcome.removed.map((v) => `${name}@${v}`).join(', ')}${outcome.cacheCleaned ? ' and its cached packages' : ''}\n`,
    );
    return 0;
  },
};
