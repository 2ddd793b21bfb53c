import type { DiscoveryResult } from './discovery/discovered-plugin.js';
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
  /**
   * Run plugins (and their `capabilities` commands) in the sandbox: the manifest's `permissions`
   * become resource limits, network isolation, an environment allow-list and, for Node plugins,
   * Node's permission model. What the machine cannot enforce is logged as a warning. Default false.
   */
  readonly sandbox?: boolean;
  /**
   * Root of the plugins' data folders: each plugin gets `<dataDir>/<name>`, named to it in
   * `PLUGBOARD_DATA_DIR` (and writable under the sandbox). Default `<os temp>/plugboard-plugin-data`.
   */
  readonly dataDir?: string;
  /** Watch the roots after the first `discover()` and rediscover when plugins change. Default false. */
  readonly watch?: boolean;
  /** Quiet time after the last file event before rediscovering. Default 300. */
  readonly watchDebounceMs?: number;
  /** Called after each rediscovery the watcher triggered (hot reload). */
  readonly onReload?: (result: DiscoveryResult) => void;
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
