import type { Command } from '../command.js';
import { setPluginState } from './enable.js';

/** `plugboard disable <name>`: keeps an installed plugin but hides it from the plugin host. */
export const disableCommand: Command = {
  name: 'disable',
  summary: 'disable an installed plugin (kept, but the plugin host skips it)',
  usage: `plugboard disable <name> [--config FILE] [--json]

  Moves <install_root>/<name> to <install_root>/.disabled/<name> (one atomic rename); the plugin
  host does not look into hidden folders. Updates keep it disabled.`,
  run: (argv, io) => setPluginState(argv, io, false),
};
