import type { HostLogger } from './logs/host-logger.js';
import type { PluginSpawner } from './spawner.js';
import type { CrashPolicy } from './supervisor/crash-tracker.js';

/** Options of `new PluginHost(…)`. Every timeout is in milliseconds. */
export interface PluginHostOptions {
  /** Folders searched for plugins, in priority order. */
  readonly roots: readonly string[];
  /** Folder for the capabilities cache file; without it the cache is in memory only. */
  readonly cacheDir?: string;
  /** pino-compatible logger; plugins' stderr lines go here too. Default: discard. */
  readonly logger?: HostLogger;
  /** Stop a plugin after this long without calls (0 = never). Default 5 minutes. */
  readonly idleTimeoutMs?: number;
  /** Handshake plus first health check. Default 10 s. */
  readonly startTimeoutMs?: number;
  /** Default per-call timeout. Default 60 s. */
  readonly callTimeoutMs?: number;
  /** Limit for `EXE capabilities`. Default 10 s. */
  readonly capabilitiesTimeoutMs?: number;
  /** Wait after `POST /shutdown` before SIGTERM. Default 10 s. */
  readonly shutdownGraceMs?: number;
  /** Wait after SIGTERM before SIGKILL. Default 5 s. */
  readonly sigtermGraceMs?: number;
  /** Run plugins in the sandbox (`src/sandbox`). Default false. */
  readonly sandbox?: boolean;
  /** The API version this host implements, checked against manifests. Default `v1`. */
  readonly hostApiVersion?: string;
  /** When crashing plugins are restarted and quarantined. */
  readonly crashPolicy?: Partial<CrashPolicy>;
  /** Configuration written to each plugin's stdin, by plugin name or `name@version`. */
  readonly pluginConfig?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Environment of plugin processes. Default: the host's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Starts plugin processes; injected to wrap or count spawns. Default `child_process.spawn`. */
  readonly spawner?: PluginSpawner;
  /** Stderr lines kept per plugin process for error messages. Default 50. */
  readonly stderrTailLines?: number;
  /** Longest stderr line forwarded, in characters. Default 16 384. */
  readonly maxLogLineLength?: number;
  /** Parent folder of the private socket folders. Default the OS temp folder. */
  readonly socketDir?: string;
}
