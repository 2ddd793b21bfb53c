import { PlugboardError } from '@plugboard/core';
import type { CliIo } from '../cli-io.js';
import { readCredentials } from '../client-config/credentials-store.js';
import { loadClientConfig } from '../client-config/load-client-config.js';
import { InventoryClient } from '@plugboard/client';

/** The connection flags every provider command takes (parseArgs option specs). */
export const INVENTORY_OPTIONS = {
  registry: { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string' },
} as const;

/** Usage lines for `INVENTORY_OPTIONS`. */
export const INVENTORY_USAGE = `  --registry URL|NAME  the server (http://host:7400 or …/api/v1), or a registry of the client
                       config (default: the first one by priority)
  --token T            bearer token for --registry URL (default: $PLUGBOARD_TOKEN)
  --config FILE        the client config file`;

/** The connection flags' values. */
export interface InventoryFlags {
  readonly registry?: string | undefined;
  readonly token?: string | undefined;
  readonly config?: string | undefined;
}

/**
 * A `@plugboard/client` InventoryClient for the server `--registry URL` names (with `--token` or `$PLUGBOARD_TOKEN`), else for
 * a registry of the client config (`--registry NAME` or the first by priority) with its auth or
 * the token `plugboard login` saved.
 */
export async function openInventoryClient(
  io: CliIo,
  flags: InventoryFlags,
): Promise<InventoryClient> {
  const token = flags.token ?? nonEmpty(io.env['PLUGBOARD_TOKEN']);
  if (flags.registry !== undefined && flags.registry.includes('://')) {
    return new InventoryClient({ ...apiUrl(flags.registry), token });
  }
  const config = await loadClientConfig({ env: io.env, cwd: io.cwd, configFlag: flags.config });
  const registries = [...config.registries].sort((a, b) => a.priority - b.priority);
  const registry =
    flags.registry === undefined
      ? registries[0]
      : registries.find((candidate) => candidate.name === flags.registry);
  if (registry === undefined) {
    throw new PlugboardError(
      flags.registry === undefined ? 'CONFIG_INVALID' : 'NOT_FOUND',
      flags.registry === undefined
        ? `no registries are configured in ${config.paths.configFile}; pass --registry URL --token T, or add one under registries:`
        : `no registry named "${flags.registry}" in ${config.paths.configFile} (configured: ${registries.map((r) => r.name).join(', ') || 'none'})`,
    );
  }
  const auth = registry.auth;
  const saved = (await readCredentials(config.paths.configDir))[registry.name]?.token;
  return new InventoryClient({
    url: registry.url,
    timeoutMs: registry.timeoutMs,
    token:
      token ?? (auth.type === 'bearer' ? auth.token : auth.type === 'none' ? saved : undefined),
    // The docs promise `X-API-Key: <key>` for `auth.type: api_key`.
    apiKey: token === undefined && auth.type === 'api_key' ? auth.apiKey : undefined,
    basic: auth.type === 'basic' ? { username: auth.username, password: auth.password } : undefined,
  });
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === '' ? undefined : text;
}

/** `http://host:7400` → `http://host:7400/api/v1`; `user:password@` becomes HTTP Basic. */
function apiUrl(text: string): {
  url: string;
  basic?: { username: string; password: string };
} {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PlugboardError(
      'USAGE',
      '--registry must be an absolute http(s) URL or a registry name',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PlugboardError('USAGE', `--registry must use http or https, not ${url.protocol}`);
  }
  const basic =
    url.username === ''
      ? undefined
      : { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/v1';
  const clean = url.toString().replace(/\/+$/, '');
  return basic === undefined ? { url: clean } : { url: clean, basic };
}
