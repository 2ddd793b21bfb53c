import { parseArgs } from 'node:util';
import { PlugboardError } from '@plugboard/core';
import { saveCredential } from '../client-config/credentials-store.js';
import { openClientContext, registryClient } from '../client-config/open-installer.js';
import { toJsonText } from '../client-config/text-table.js';
import type { Command } from '../command.js';

const USAGE = `plugboard login <registry> [--token TOKEN | --token-stdin] [--config FILE] [--json]

  Checks a registry token (GET /whoami) and saves it for that configured registry in
  <config folder>/credentials.json (mode 0600). Without --token, PLUGBOARD_TOKEN is used.
  A registry with auth: in the config uses that instead.`;

/** `plugboard login`: saves a verified token for a configured registry. */
export const loginCommand: Command = {
  name: 'login',
  summary: 'check and save a token for a configured registry',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        token: { type: 'string' },
        'token-stdin': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const [name, ...extra] = positionals;
    if (name === undefined || extra.length > 0)
      throw new PlugboardError('USAGE', 'login needs one <registry> name from the client config');
    const token = (
      values['token-stdin'] ? await readStdin() : (values.token ?? io.env['PLUGBOARD_TOKEN'])
    )?.trim();
    if (token === undefined || token === '') {
      throw new PlugboardError(
        'USAGE',
        'login needs a token: --token TOKEN, --token-stdin, or PLUGBOARD_TOKEN',
      );
    }
    const context = await openClientContext(io, values.config);
    const registry = context.config.registries.find((candidate) => candidate.name === name);
    if (registry === undefined) {
      throw new PlugboardError(
        'CONFIG_INVALID',
        `no registry named "${name}" in ${context.config.paths.configFile} (configured: ${context.config.registries.map((r) => `"${r.name}"`).join(', ') || 'none'}); add it under registries: first`,
      );
    }
    const client = registryClient({ ...registry, auth: { type: 'bearer', token } }, {});
    const who = await client.whoami();
    if (who['authenticated'] !== true) {
      throw new PlugboardError(
        'UNAUTHENTICATED',
        `registry "${name}" did not accept the token; check it and try again`,
      );
    }
    const path = await saveCredential(context.config.paths.configDir, name, token);
    if (values.json)
      io.stdout(
        toJsonText({
          registry: name,
          domain_id: who['domain_id'] ?? null,
          role: who['role'] ?? null,
          credentials_file: path,
        }),
      );
    else
      io.stdout(
        `logged in to registry "${name}" as ${textOf(who['role'])} of domain "${textOf(who['domain_id'])}"; token saved in ${path}\n`,
      );
    return 0;
  },
};

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '?';
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
