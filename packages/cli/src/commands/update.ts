import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import type { Command } from '../command.js';
import { printOutcomes } from './install.js';

const USAGE = `plugboard update [name[@spec]] [--config FILE] [--json]

  Updates every plugin in plugboard.lock (or the one named) to what its requested reference
  resolves to now (echo@^1.2 → the newest 1.x). name@spec changes the spec of a registry plugin
  (update echo@^2). Checks are those of install; the old version stays until the new one is in.`;

/** `plugboard update`: moves installed plugins to the newest version their spec allows. */
export const updateCommand: Command = {
  name: 'update',
  summary: 'update installed plugins (all, or one, optionally to a new spec)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length > 1)
      throw new PlugboardError('USAGE', 'update takes at most one name[@spec]');
    const [target] = positionals;
    const at = target?.indexOf('@') ?? -1;
    const name = target === undefined ? undefined : at > 0 ? target.slice(0, at) : target;
    const spec = target !== undefined && at > 0 ? target.slice(at + 1) : undefined;
    const installer = openInstaller(io, await openClientContext(io, values.config));
    const outcomes = await installer.update(name, spec);
    if (outcomes.length === 0 && !values.json) {
      io.stdout(`nothing to update: ${installer.lockFile} names no plugins\n`);
      return 0;
    }
    printOutcomes(io, outcomes, values.json);
    return 0;
  },
};
