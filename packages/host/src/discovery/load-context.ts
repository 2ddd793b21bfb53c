import type { ExecutableFingerprint } from '../capabilities/capabilities-cache.js';
import type { PluginCapabilities } from '../capabilities/plugin-capabilities.js';
import type { PluginLaunch } from '../plugin-launch.js';

/** What loading one plugin needs from discovery. */
export interface LoadContext {
  /** API version the host implements, checked against manifests' requirements. */
  readonly hostApiVersion: string;
  /** Runs (or recalls from the cache) `EXE capabilities`. */
  queryCapabilities(launch: PluginLaunch, plugin: string): Promise<PluginCapabilities>;
  /** The entrypoint's fingerprint, taken once per discovery however often it is asked for. */
  fingerprint(launch: PluginLaunch): Promise<ExecutableFingerprint>;
}
