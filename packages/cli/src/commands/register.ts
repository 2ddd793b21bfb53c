import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { stringify } from 'yaml';
import { openClientContext } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import { withLoginHint, writeRegistry } from '../client-config/write-registry.js';
import type { Command } from '../command.js';

const USAGE = `plugboard register -f plugin.yml [--registry NAME] [-o yaml|json] [--config FILE]

  Registers a plugin from a manifest in any supported format (seed 002's SpaceONE YAML with
  name, service_type, image, capability, tags, …) in the registry's LOCAL repository, as
  "spacectl exec register repository.Plugin -f plugin.yml" does, and prints the stored record
  (YAML by default). An image plugin's versions come from its image's SemVer tags.`;

/** `plugboard register -f FILE`: SpaceONE-style registration of an (image) plugin. */
export const registerCommand: Command = {
  name: 'register',
  summary: 'register a plugin from a manifest file (SpaceONE style) and print the stored record',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        file: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o', default: 'yaml' },
        registry: { type: 'string' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    // spacectl names the resource first ("register repository.Plugin -f …"); accept that too.
    if (positionals.some((positional) => positional !== 'repository.Plugin')) {
      throw new PlugboardError(
        'USAGE',
        'register takes -f plugin.yml (and optionally the resource name repository.Plugin)',
      );
    }
    if (values.file === undefined)
      throw new PlugboardError('USAGE', 'register needs -f plugin.yml');
    const output = values.json ? 'json' : values.output;
    if (output !== 'yaml' && output !== 'json') {
      throw new PlugboardError('INVALID_ARGUMENT', `-o must be yaml or json, not "${output}"`);
    }
    const path = resolve(io.cwd, values.file);
    const text = await readFile(path, 'utf8').catch((cause: unknown) => {
      throw new PlugboardError('NOT_FOUND', `${path}: cannot read the manifest file`, { cause });
    });
    const context = await openClientContext(io, values.config);
    const registry = writeRegistry(context, values.registry);
    const contentType =
      extname(path).toLowerCase() === '.json' ? 'application/json' : 'application/yaml';
    const record = await withLoginHint(registry, () =>
      registry.client.registerPlugin(text, { contentType }),
    );
    for (const warning of record.warnings ?? []) io.stderr(`note: ${warning}\n`);
    io.stdout(output === 'json' ? toJsonText(record) : stringify(record));
    return 0;
  },
};
