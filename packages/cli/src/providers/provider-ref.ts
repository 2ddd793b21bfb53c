import { PlugboardError } from '@plugboard/core';
import type { InventoryClient } from './inventory-client.js';

/** Rows read when looking a provider up by name (the server's page limit). */
const PROVIDER_LOOKUP_LIMIT = 1000;

/** The provider a command names: by id or by name (names are unique per domain). */
export async function findProvider(
  client: InventoryClient,
  ref: string,
): Promise<Record<string, unknown>> {
  const page = await client.get('/providers', { limit: PROVIDER_LOOKUP_LIMIT });
  const providers = Array.isArray(page['providers'])
    ? (page['providers'] as Record<string, unknown>[])
    : [];
  const found =
    providers.find((provider) => provider['id'] === ref) ??
    providers.find((provider) => provider['name'] === ref);
  if (found !== undefined) return found;
  throw new PlugboardError(
    'NOT_FOUND',
    `no provider with the id or name "${ref}" at ${client.url}; see plugboard provider list`,
  );
}
