import { compareVersions, PlugboardError, type Capability } from '@plugboard/core';
import type { DiscoveredPlugin } from './discovery/discovered-plugin.js';
import type { PluginRegistration } from './registry/capability-registry.js';

/**
 * A plugin by `name@version`, or by `name` (its highest version; unversioned ones rank lowest);
 * `undefined` when none has that name.
 */
export function findPlugin(
  plugins: readonly DiscoveredPlugin[],
  name: string,
): DiscoveredPlugin | undefined {
  const exact = plugins.find((p) => p.id === name);
  if (exact !== undefined) return exact;
  return plugins
    .filter((p) => p.name === name)
    .reduce<DiscoveredPlugin | undefined>((best, p) => {
      if (best === undefined) return p;
      if (p.version === undefined) return best;
      if (best.version === undefined) return p;
      return compareVersions(p.version, best.version) > 0 ? p : best;
    }, undefined);
}

/**
 * Resolves `endpoint` (or `type/endpoint`) against one plugin's capabilities, for calls addressed
 * to a plugin rather than a capability: the capability whose `endpoints` list it, or the only
 * capability type that lists none (OCM). Throws `INVALID_ARGUMENT` when several types serve it
 * and `NOT_FOUND` when none does.
 */
export function pluginEndpoint(
  plugin: DiscoveredPlugin,
  endpoint: string,
): { registration: PluginRegistration; endpoint: string } {
  const slash = endpoint.indexOf('/');
  const type = slash === -1 ? undefined : endpoint.slice(0, slash);
  const bare = slash === -1 ? endpoint : endpoint.slice(slash + 1);
  const capability = capabilityServing(plugin, bare, type);
  return {
    registration: {
      kind: 'plugin',
      type: capability.type,
      ...(capability.name === undefined ? {} : { name: capability.name }),
      plugin,
      capability,
    },
    endpoint: bare,
  };
}

function capabilityServing(
  plugin: DiscoveredPlugin,
  endpoint: string,
  type: string | undefined,
): Capability {
  const ofType = plugin.capabilities.filter((c) => type === undefined || c.type === type);
  const serving = ofType.filter((c) => c.endpoints?.includes(endpoint) === true);
  const types = new Set(serving.map((c) => c.type));
  if (types.size === 1 && serving[0] !== undefined) return serving[0];
  if (types.size > 1) {
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `plugin "${plugin.id}" serves "${endpoint}" in several capabilities (${[...types].join(', ')}); call "<type>/${endpoint}"`,
      { details: { plugin: plugin.id, endpoint, types: [...types] } },
    );
  }
  // Capabilities that list no endpoints (OCM) accept any, when there is one type to send to.
  const open = ofType.filter((c) => c.endpoints === undefined);
  if (new Set(open.map((c) => c.type)).size === 1 && open[0] !== undefined) return open[0];
  throw new PlugboardError(
    'NOT_FOUND',
    `plugin "${plugin.id}" has no endpoint "${type === undefined ? '' : `${type}/`}${endpoint}"`,
    { details: { plugin: plugin.id, endpoint, ...(type === undefined ? {} : { type }) } },
  );
}
