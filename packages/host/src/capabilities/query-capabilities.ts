import type { HostLogger } from '../logs/host-logger.js';
import type { PluginLaunch } from '../plugin-launch.js';
import type { PluginSpawner } from '../spawner.js';
import {
  fingerprintExecutable,
  type CapabilitiesCache,
  type ExecutableFingerprint,
} from './capabilities-cache.js';
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
  /** The entrypoint's fingerprint when the caller already took it (discovery needs it too). */
  readonly fingerprint?: ExecutableFingerprint;
  /** Wraps the `capabilities` command, e.g. to bound how many run at once; cache hits skip it. */
  readonly limitCommands?: <T>(task: () => Promise<T>) => Promise<T>;
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
  const fingerprint =
    options.cache === undefined
      ? undefined
      : (options.fingerprint ?? (await fingerprintExecutable(launch)));
  if (fingerprint !== undefined && options.cache !== undefined) {
    const cached = await options.cache.get(fingerprint);
    if (cached !== undefined) {
      try {
        // Only outputs whose schemas passed the meta-schema check are cached: parse, skip the check.
        return readCapabilitiesOutput(cached, subject, { checkSchemas: false });
      } catch {
        await options.cache.delete(fingerprint);
      }
    }
  }
  const run = (): Promise<string> =>
    runCapabilitiesCommand(launch, {
      plugin: options.plugin,
      spawner: options.spawner,
      logger: options.logger,
      timeoutMs: options.timeoutMs,
      env: options.env,
    });
  const output = await (options.limitCommands === undefined ? run() : options.limitCommands(run));
  const capabilities = readCapabilitiesOutput(output, subject);
  if (fingerprint !== undefined) await options.cache?.set(fingerprint, output);
  return capabilities;
}
