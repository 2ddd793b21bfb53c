import { shorten } from '../versions/version.js';
import { PlugboardError } from '../errors/plugboard-error.js';
import { resolveVersion, type ResolvedVersion } from '../versions/resolve-version.js';
import type { VersionSpec } from '../versions/version-spec.js';
import type { RegistryIndex, RegistryPlugin, RegistryVersion } from './registry-index-schema.js';

/** The plugin of that name in the index; throws `PLUGIN_NOT_FOUND` when there is none. */
export function findRegistryPlugin(index: RegistryIndex, name: string): RegistryPlugin {
  const plugin = index.plugins.find((entry) => entry.name === name);
  if (plugin === undefined) {
    throw new PlugboardError(
      'PLUGIN_NOT_FOUND',
      `no plugin named "${shorten(name)}" in the registry index`,
      {
        details: { name },
      },
    );
  }
  return plugin;
}

/**
 * A plugin's dist-tags for `resolveVersion`: its `dist_tags`, with `latest` taken from
 * `latest_version` when `dist_tags` does not set it.
 */
export function registryDistTags(plugin: RegistryPlugin): Record<string, string> {
  const tags: Record<string, string> = Object.fromEntries(Object.entries(plugin.dist_tags ?? {}));
  if (plugin.latest_version !== undefined && !Object.hasOwn(tags, 'latest')) {
    tags['latest'] = plugin.latest_version;
  }
  return tags;
}

/**
 * Resolves a version spec against one plugin of a registry index (see `resolveVersion`).
 *
 * @example
 * resolveRegistryVersion(findRegistryPlugin(index, 'kubecost'), '^1.2').candidate.manifest_url
 */
export function resolveRegistryVersion(
  plugin: RegistryPlugin,
  spec: string | VersionSpec = 'latest',
): ResolvedVersion<RegistryVersion> {
  return resolveVersion(spec, plugin.versions, {
    distTags: registryDistTags(plugin),
    subject: plugin.name,
  });
}
