import { PlugboardError } from '@plugboard/core';
import type { InventoryClient, ProviderView } from '@plugboard/client';

/** Rows read when looking a provider up by name (the server's page limit). */
const PROVIDER_LOOKUP_LIMIT = 1000;

/** The provider a command names: by id or by name (names are unique per domain). */
export async function findProvider(client: InventoryClient, ref: string): Promise<ProviderView> {
  const { providers } = await client.listProviders({ limit: PROVIDER_LOOKUP_LIMIT });
  const found =
    providers.find((provider) => provider.id === ref) ??
    providers.find((provider) => provider.name === ref);
  if (found !== undefined) return found;
  throw new PlugboardError(
    'NOT_FOUND',
    `no provider with the id or name "${ref}" at ${client.url}; see plugboard provider list`,
  );
}
