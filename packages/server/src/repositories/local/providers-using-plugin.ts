import type { MetadataStore, ProviderStore } from '@plugboard/store';
import type { ProvidersUsingPlugin } from './local-plugin-writer.js';

/**
 * The `DELETE /plugins/{name}` usage check over the provider store: the domain's providers bound
 * (seed 004: by `vendor:provider_type`) to a provider capability the plugin's manifest declares.
 * Pass it to `buildSources({ providersUsingPlugin })`.
 */
export function providersUsingPluginFrom(
  metadata: Pick<MetadataStore, 'getPlugin'>,
  providers: Pick<ProviderStore, 'listProvidersOfPlugin'>,
): ProvidersUsingPlugin {
  return async (domainId, pluginName) => {
    const record = await metadata.getPlugin(domainId, pluginName);
    if (record === undefined) return [];
    const ids = new Set<string>();
    for (const key of providerKeysOf(record.manifest)) {
      const bound = await providers.listProvidersOfPlugin(key.vendor, key.providerType, domainId);
      for (const provider of bound) ids.add(provider.id);
    }
    return [...ids];
  };
}

/** The `vendor:provider_type` keys of a manifest's capabilities. */
function providerKeysOf(
  manifest: Record<string, unknown>,
): { vendor: string; providerType: string }[] {
  const capabilities = manifest['capabilities'];
  if (!Array.isArray(capabilities)) return [];
  const keys: { vendor: string; providerType: string }[] = [];
  for (const capability of capabilities as unknown[]) {
    if (typeof capability !== 'object' || capability === null) continue;
    const { vendor, provider_type: providerType } = capability as Record<string, unknown>;
    if (typeof vendor === 'string' && typeof providerType === 'string') {
      keys.push({ vendor, providerType });
    }
  }
  return keys;
}
