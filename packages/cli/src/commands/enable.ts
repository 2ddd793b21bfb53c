import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import type { CliIo } from '../cli-io.js';
import { openClientContext, openInstaller } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

/** Runs `enable` or `disable` on an installed plugin. */
export async function setPluginState(
  argv: readonly string[],
  io: CliIo,
  enabled: boolean,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { config: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length > 0) {
    throw new PlugboardError('USAGE', `${enabled ? 'enable' : 'disable'} needs one plugin name`);
  }
  const installer = openInstaller(io, await openClientContext(io, values.config));
  const changed = await installer.setEnabled(name, enabled);
  const state = enabled ? 'enabled' : 'disabled';
  if (values.json) io.stdout(toJsonText({ name, state, changed }));
  else io.stdout(changed ? `${name} is now ${state}\n` : `${name} was already ${state}\n`);
  return 0;
}

/** `plugboard enable <name>`: lets the plugin host load an installed plugin again. */
export const enableCommand: Command = {
  name: 'enable',
  summary: 'enable an installed plugin (the plugin host loads it)',
  usage: `plugboard enable <name> [--config FILE] [--json]

  Moves <install_root>/.disabled/<name> back to <install_root>/<name>.`,
  run: (argv, io) => setPluginState(argv, io, true),
};
