import type { DiscoveredPlugin } from './discovery/discovered-plugin.js';
import type { PluginState, SupervisorStatus } from './supervisor/plugin-supervisor.js';

/** One plugin as `list()` shows it. */
export interface PluginInfo {
  readonly id: string;
  readonly name: string;
  readonly version?: string;
  readonly source: DiscoveredPlugin['source'];
  readonly path: string;
  readonly state: PluginState;
  readonly pid?: number;
  /** Processes started so far. */
  readonly starts: number;
  readonly recentCrashes: number;
  readonly inFlight: number;
  readonly capabilities: readonly { type: string; name?: string; endpoints?: readonly string[] }[];
}

/** Builds the `list()` entry of a plugin from its descriptor and its supervisor's status. */
export function pluginInfo(
  plugin: DiscoveredPlugin,
  status: SupervisorStatus | undefined,
): PluginInfo {
  return {
    id: plugin.id,
    name: plugin.name,
    ...(plugin.version === undefined ? {} : { version: plugin.version }),
    source: plugin.source,
    path: plugin.path,
    state: status?.state ?? 'stopped',
    ...(status?.pid === undefined ? {} : { pid: status.pid }),
    starts: status?.starts ?? 0,
    recentCrashes: status?.recentCrashes ?? 0,
    inFlight: status?.inFlight ?? 0,
    capabilities: plugin.capabilities.map((c) => ({
      type: c.type,
      ...(c.name === undefined ? {} : { name: c.name }),
      ...(c.endpoints === undefined ? {} : { endpoints: c.endpoints }),
    })),
  };
}
