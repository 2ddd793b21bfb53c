import type { HostLogger } from '../logs/host-logger.js';
import type { PluginLaunch } from '../plugin-launch.js';
import type { PluginSpawner } from '../spawner.js';
import { fingerprintExecutable, type CapabilitiesCache } from './capabilities-cache.js';
import { readCapabilitiesOutput, type PluginCapabilities } from './plugin-capabilities.js';
import { runCapabilitiesCommand } from './run-capabilities-command.js';

/** Options of `queryCapabilities`. */
export interface QueryCapabilitiesOptions {
  /** Name used in messages and log records. */
  readonly plugin: string;
  readonly cache?: CapabilitiesCache;
  readonly spawner?: PluginSpawner;
  readonly logger?: HostLogger;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Learns what a plugin executable provides: from the cache when the executable is byte-for-byte
 * the one seen before, else by running `EXE capabilities`. Only valid outputs are cached.
 */
export async function queryCapabilities(
  launch: PluginLaunch,
  options: QueryCapabilitiesOptions,
): Promise<PluginCapabilities> {
  const subject = `plugin "${options.plugin}" (${launch.entrypoint})`;
  const fingerprint = options.cache === undefined ? undefined : await fingerprintExecutable(launch);
  if (fingerprint !== undefined && options.cache !== undefined) {
    const cached = await options.cache.get(fingerprint);
    if (cached !== undefined) {
      try {
        return readCapabilitiesOutput(cached, subject);
      } catch {
        await options.cache.delete(fingerprint);
      }
    }
  }
  const output = await runCapabilitiesCommand(launch, {
    plugin: options.plugin,
    spawner: options.spawner,
    logger: options.logger,
    timeoutMs: options.timeoutMs,
    env: options.env,
  });
  const capabilities = readCapabilitiesOutput(output, subject);
  if (fingerprint !== undefined) await options.cache?.set(fingerprint, output);
  return capabilities;
}
