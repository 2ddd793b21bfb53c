import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { openClientContext } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import { nameAtVersion, withLoginHint, writeRegistry } from '../client-config/write-registry.js';
import type { Command } from '../command.js';

const USAGE = `plugboard deprecate <name@version> --message TEXT [--registry NAME] [--config FILE] [--json]

  Marks a published version deprecated: it still resolves, with the message as a warning
  (e.g. "use 2.x"). An empty --message "" lifts the deprecation.`;

/** `plugboard deprecate`: marks a version deprecated with a message. */
export const deprecateCommand: Command = {
  name: 'deprecate',
  summary: 'mark a published version deprecated, with a message',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        registry: { type: 'string' },
        message: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    if (positionals.length !== 1)
      throw new PlugboardError('USAGE', 'deprecate needs one <name@version>');
    const { name, version } = nameAtVersion(positionals[0], 'deprecate');
    if (values.message === undefined) {
      throw new PlugboardError(
        'USAGE',
        'deprecate needs --message TEXT (what to use instead; "" lifts it)',
      );
    }
    const message = values.message;
    const context = await openClientContext(io, values.config);
    const registry = writeRegistry(context, values.registry);
    const view = await withLoginHint(registry, () =>
      registry.client.deprecateVersion(name, version, message),
    );
    if (values.json) io.stdout(toJsonText({ registry: registry.name, name, ...view }));
    else
      io.stdout(
        message === ''
          ? `${name}@${version} is no longer deprecated in registry "${registry.name}"\n`
          : `deprecated ${name}@${version} in registry "${registry.name}": ${message}\n`,
      );
    return 0;
  },
};
