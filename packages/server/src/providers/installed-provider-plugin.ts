import type { Capability, ConnectionParameter, PluginManifest } from '@plugboard/core';
import type { DiscoveredPlugin } from '@plugboard/host';
import { providerKey } from '@plugboard/protocol';

/** A provider plugin installed on this server, ready to serve collection runs. */
export interface InstalledProviderPlugin {
  /** `vendor:provider_type`, the registry key providers are bound by. */
  readonly key: string;
  readonly vendor: string;
  readonly providerType: string;
  readonly name: string;
  readonly version: string | undefined;
  readonly description: string | undefined;
  readonly manifest: PluginManifest;
  /** The manifest's provider capability. */
  readonly capability: Capability;
  readonly resourceTypes: readonly string[];
  readonly connectionParameters: readonly ConnectionParameter[];
  /** The install folder's name under `installs/`. */
  readonly installId: string;
  readonly directory: string;
  /** The entrypoint, relative to `directory`. */
  readonly entrypoint: string | undefined;
  readonly installedAt: string;
  readonly warnings: readonly string[];
}

/** The provider capability of a discovered plugin, or undefined when it has none. */
export function providerCapabilityOf(
  plugin: DiscoveredPlugin,
): (Capability & { vendor: string; provider_type: string }) | undefined {
  const found = plugin.capabilities.find(
    (c) =>
      c.type === 'provider' && typeof c.vendor === 'string' && typeof c.provider_type === 'string',
  );
  return found as (Capability & { vendor: string; provider_type: string }) | undefined;
}

/** The registry entry of a discovered provider plugin. */
export function describeInstalledPlugin(
  plugin: DiscoveredPlugin,
  capability: Capability & { vendor: string; provider_type: string },
  install: { id: string; directory: string; installedAt: string },
): InstalledProviderPlugin {
  const entrypoint = plugin.manifest.runtime?.entrypoint;
  return {
    key: providerKey(capability.vendor, capability.provider_type),
    vendor: capability.vendor,
    providerType: capability.provider_type,
    name: plugin.name,
    version: plugin.version,
    description: plugin.manifest.description,
    manifest: plugin.manifest,
    capability,
    resourceTypes: capability.resource_types ?? [],
    connectionParameters: plugin.manifest.connection_parameters ?? [],
    installId: install.id,
    directory: install.directory,
    entrypoint,
    installedAt: install.installedAt,
    warnings: plugin.warnings,
  };
}
