import type { PluginManifest } from '@plugboard/core';
import {
  capabilityTypesOf,
  type JsonObject,
  type PluginImage,
  type PluginInput,
} from '@plugboard/store';

/**
 * The plugin record fields a native manifest implies: what `POST /plugins` stores and what a
 * MANAGED file serves. The manifest itself is kept whole, so nothing the importer produced is lost.
 */
export function pluginInputFromManifest(manifest: PluginManifest): PluginInput {
  const record = manifest as JsonObject;
  return {
    name: manifest.name,
    displayName: manifest.display_name,
    description: manifest.description,
    type: manifest.type,
    providers: manifest.providers ?? [],
    labels: manifest.labels ?? [],
    capabilities: capabilityTypesOf(record),
    tags: manifest.tags ?? {},
    icon: manifest.icon,
    manifest: record,
    image: pluginImageOf(manifest),
  };
}

/** The OCI image an `image` runtime names (seeds 000, 002), or undefined for other runtimes. */
export function pluginImageOf(manifest: PluginManifest): PluginImage | undefined {
  const runtime = manifest.runtime;
  if (runtime === undefined || runtime.type !== 'image' || runtime.image === undefined) {
    return undefined;
  }
  const config = (runtime as JsonObject)['registry_config'];
  return {
    image: runtime.image,
    registryType: runtime.registry,
    registryConfig:
      typeof config === 'object' && config !== null && !Array.isArray(config)
        ? (config as JsonObject)
        : undefined,
  };
}
