import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlugboardError, PlugboardError } from '@plugboard/core';
import {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_HOST_IDLE_TIMEOUT_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_SIGTERM_GRACE_MS,
  DEFAULT_START_TIMEOUT_MS,
} from '@plugboard/protocol';
import { CapabilitiesCache } from './capabilities/capabilities-cache.js';
import { capabilityHandle, type CapabilityHandle } from './capability-handle.js';
import type {
  DiscoveredPlugin,
  DiscoveryProblem,
  DiscoveryResult,
} from './discovery/discovered-plugin.js';
import { discoverPlugins } from './discovery/discover-plugins.js';
import { SILENT_LOGGER, type HostLogger } from './logs/host-logger.js';
import { DEFAULT_STDERR_TAIL_LINES } from './logs/line-ring-buffer.js';
import type { PluginHostOptions } from './plugin-host-options.js';
import { pluginInfo, type PluginInfo } from './plugin-info.js';
import { findPlugin, pluginEndpoint } from './plugin-targets.js';
import { CapabilityRegistry, type LookupOptions } from './registry/capability-registry.js';
import type { InProcessHandlers } from './registry/in-process-handlers.js';
import { InputValidator } from './registry/input-validator.js';
import { plainSpawner } from './spawner.js';
import type { CallOptions } from './supervisor/call-options.js';
import { DEFAULT_CRASH_POLICY } from './supervisor/crash-tracker.js';
import { PluginSupervisor, type SupervisorOptions } from './supervisor/plugin-supervisor.js';
import { PluginSpawners } from './sandbox-integration.js';
import { watchPluginRoots, type PluginRootsWatcher } from './watch/index.js';

/** Folder under the OS temp folder holding plugins' data folders unless `dataDir` is given. */
const DEFAULT_DATA_FOLDER = 'plugboard-plugin-data';

/**
 * What to call: a plugin (`name` or `name@version`; a bare name picks the highest version), a
 * capability type, or a capability lookup.
 */
export type CallTarget =
  string | { readonly capability: string; readonly name?: string; readonly versionRange?: string };

/**
 * The plugin manager: discovers plugins, resolves capabilities to plugins, and runs each plugin
 * process under a supervisor (lazy start, idle stop, crash restart, quarantine, shutdown).
 *
 * @example
 * const host = new PluginHost({ roots: ['/var/lib/plugboard/plugins'], logger: pino() });
 * await host.discover();
 * const vcenter = host.lookup('provider', { name: 'vmware:vcenter' });
 * const { session_id } = (await vcenter.call('connect', { connection })) as { session_id: string };
 * for await (const resource of vcenter.stream('collect', { session_id })) store(resource);
 * await host.shutdown();
 */
export class PluginHost {
  readonly #options: PluginHostOptions;
  readonly #logger: HostLogger;
  readonly #spawners: PluginSpawners;
  readonly #cache: CapabilitiesCache;
  readonly #registry = new CapabilityRegistry();
  readonly #validator = new InputValidator();
  readonly #supervisors = new Map<string, PluginSupervisor>();
  #plugins: readonly DiscoveredPlugin[] = [];
  #shutDown = false;
  #watcher: PluginRootsWatcher | undefined;
  #reloading: Promise<void> = Promise.resolve();

  constructor(options: PluginHostOptions) {
    this.#options = options;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#spawners = new PluginSpawners({
      base: options.spawner ?? plainSpawner,
      sandbox: options.sandbox === true,
      dataRoot: options.dataDir ?? join(tmpdir(), DEFAULT_DATA_FOLDER),
      logger: this.#logger,
    });
    this.#cache = new CapabilitiesCache({ cacheDir: options.cacheDir, logger: this.#logger });
  }

  /**
   * Scans the roots (again). Plugins that are gone or changed are stopped; unchanged ones keep
   * their process. Invalid plugins and capability conflicts are listed in `problems`; throws
   * `NO_PLUGINS_FOUND` when the roots hold no plugin at all.
   */
  async discover(): Promise<DiscoveryResult> {
    this.#assertOpen();
    const result = await discoverPlugins(this.#options.roots, {
      cache: this.#cache,
      spawner: this.#spawners.forCapabilities(),
      logger: this.#logger,
      capabilitiesTimeoutMs: this.#options.capabilitiesTimeoutMs,
      hostApiVersion: this.#options.hostApiVersion,
      env: this.#options.env,
    });
    await this.#replacePlugins(result.plugins);
    const conflicts: DiscoveryProblem[] = this.#registry.conflicts().map((conflict) => ({
      path: conflict.paths[0] ?? '',
      code: 'CAPABILITY_CONFLICT',
      message: `capability "${conflict.type}"${conflict.name === undefined ? '' : ` named "${conflict.name}"`} version ${conflict.version ?? '(none)'} is provided by ${conflict.paths.map((p) => `"${p}"`).join(' and ')}`,
      details: { ...conflict },
    }));
    if (this.#options.watch === true && this.#watcher === undefined) await this.#startWatching();
    return { plugins: result.plugins, problems: [...result.problems, ...conflicts] };
  }

  /** Every discovered plugin with its capabilities and state. */
  list(): PluginInfo[] {
    return this.#plugins.map((plugin) =>
      pluginInfo(plugin, this.#supervisors.get(plugin.id)?.status()),
    );
  }

  /** Resolves a capability to a handle (see `CapabilityRegistry.resolve` for the errors). */
  lookup(capabilityType: string, options: LookupOptions = {}): CapabilityHandle {
    return this.#handle(this.#registry.resolve(capabilityType, options));
  }

  /** Serves a capability from the host's own process; it wins over plugins. */
  registerInProcess(type: string, name: string | undefined, handlers: InProcessHandlers): void {
    this.#registry.registerInProcess(type, name, handlers);
  }

  /** Calls an endpoint of a plugin or capability; see `CallTarget`. */
  async call(
    target: CallTarget,
    endpoint: string,
    input: unknown,
    options: CallOptions = {},
  ): Promise<unknown> {
    const { handle, endpoint: bareEndpoint } = this.#resolveTarget(target, endpoint);
    return handle.call(bareEndpoint, input, options);
  }

  /** Calls a streamed endpoint of a plugin or capability and yields each value. */
  async *stream(
    target: CallTarget,
    endpoint: string,
    input: unknown,
    options: CallOptions = {},
  ): AsyncGenerator<unknown, void, undefined> {
    const { handle, endpoint: bareEndpoint } = this.#resolveTarget(target, endpoint);
    yield* handle.stream(bareEndpoint, input, options);
  }

  /** Lifts the quarantine of a plugin (`name` covers every version, `name@version` one). */
  resetQuarantine(name: string): void {
    const matching = this.#plugins.filter((p) => p.id === name || p.name === name);
    if (matching.length === 0) {
      throw new PlugboardError('PLUGIN_NOT_FOUND', `no plugin named "${name}"`, {
        details: { name },
      });
    }
    for (const plugin of matching) this.#supervisors.get(plugin.id)?.resetQuarantine();
  }

  /** The last stderr lines of a plugin's current or last process. */
  stderrTail(name: string): readonly string[] {
    const plugin = this.#pluginByName(name);
    return this.#supervisors.get(plugin.id)?.stderrTail() ?? [];
  }

  /** Stops every plugin (`POST /shutdown` → SIGTERM → SIGKILL) and refuses later calls. */
  async shutdown(): Promise<void> {
    this.#shutDown = true;
    this.#watcher?.close();
    this.#watcher = undefined;
    await this.#reloading;
    await Promise.all([...this.#supervisors.values()].map((s) => s.shutdown()));
  }

  #assertOpen(): void {
    if (this.#shutDown) throw new PlugboardError('UNAVAILABLE', 'the plugin host is shut down');
  }

  #handle(registration: ReturnType<CapabilityRegistry['resolve']>): CapabilityHandle {
    return capabilityHandle(
      registration,
      (plugin) => this.#supervisor(plugin),
      this.#validator,
      this.#options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    );
  }

  #resolveTarget(
    target: CallTarget,
    endpoint: string,
  ): { handle: CapabilityHandle; endpoint: string } {
    if (typeof target !== 'string') {
      const { capability, ...lookup } = target;
      return { handle: this.lookup(capability, lookup), endpoint };
    }
    const plugin = findPlugin(this.#plugins, target);
    if (plugin === undefined) return { handle: this.lookup(target), endpoint };
    const resolved = pluginEndpoint(plugin, endpoint);
    return { handle: this.#handle(resolved.registration), endpoint: resolved.endpoint };
  }

  #pluginByName(name: string): DiscoveredPlugin {
    const plugin = findPlugin(this.#plugins, name);
    if (plugin === undefined) {
      throw new PlugboardError('PLUGIN_NOT_FOUND', `no plugin named "${name}"`, {
        details: { name },
      });
    }
    return plugin;
  }

  #supervisor(plugin: DiscoveredPlugin): PluginSupervisor {
    this.#assertOpen();
    let supervisor = this.#supervisors.get(plugin.id);
    if (supervisor === undefined) {
      supervisor = new PluginSupervisor(plugin, this.#supervisorOptions(plugin));
      this.#supervisors.set(plugin.id, supervisor);
    }
    return supervisor;
  }

  #supervisorOptions(plugin: DiscoveredPlugin): SupervisorOptions {
    const o = this.#options;
    const spawn = this.#spawners.forPlugin(plugin);
    return {
      spawner: spawn.spawner,
      explainExit: (code, signal) => spawn.explainExit(code, signal),
      logger: this.#logger,
      env: o.env ?? process.env,
      config: o.pluginConfig?.[plugin.id] ?? o.pluginConfig?.[plugin.name] ?? {},
      ...(plugin.manifest.configuration === undefined
        ? {}
        : { configSchema: plugin.manifest.configuration }),
      idleTimeoutMs: o.idleTimeoutMs ?? DEFAULT_HOST_IDLE_TIMEOUT_MS,
      startTimeoutMs: o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      callTimeoutMs: o.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      shutdownGraceMs: o.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      sigtermGraceMs: o.sigtermGraceMs ?? DEFAULT_SIGTERM_GRACE_MS,
      crashPolicy: { ...DEFAULT_CRASH_POLICY, ...o.crashPolicy },
      stderrTailLines: o.stderrTailLines ?? DEFAULT_STDERR_TAIL_LINES,
      maxLogLineLength: o.maxLogLineLength,
      socketParentDir: o.socketDir,
    };
  }

  async #startWatching(): Promise<void> {
    this.#watcher = await watchPluginRoots(this.#options.roots, {
      ...(this.#options.watchDebounceMs === undefined
        ? {}
        : { debounceMs: this.#options.watchDebounceMs }),
      onChange: (changes) => {
        this.#logger.info({ ...changes }, 'plugin roots changed; rediscovering');
        this.#reloading = this.#reloading.then(() => this.#reload());
      },
      onError: (error) => this.#logger.warn({ err: error }, 'watching plugin roots failed'),
    });
  }

  /** Rediscovers after a change on disk; losing every plugin is a reload too, not a failure. */
  async #reload(): Promise<void> {
    if (this.#shutDown) return;
    let result: DiscoveryResult;
    try {
      result = await this.discover();
    } catch (error) {
      if (!isPlugboardError(error, 'NO_PLUGINS_FOUND')) {
        this.#logger.warn({ err: error }, 'rediscovery failed; keeping the plugins known before');
        return;
      }
      await this.#replacePlugins([]);
      const problems = (error.details?.['problems'] ?? []) as DiscoveryProblem[];
      result = { plugins: [], problems };
    }
    try {
      this.#options.onReload?.(result);
    } catch (error) {
      this.#logger.warn({ err: error }, 'onReload failed');
    }
  }

  /** Keeps supervisors of unchanged plugins; stops those of plugins that changed or vanished. */
  async #replacePlugins(plugins: readonly DiscoveredPlugin[]): Promise<void> {
    const next = new Map(plugins.map((p) => [p.id, p]));
    const stopping: Promise<void>[] = [];
    for (const [id, supervisor] of this.#supervisors) {
      const replacement = next.get(id);
      if (replacement !== undefined && sameLaunch(replacement, supervisor.plugin)) continue;
      this.#supervisors.delete(id);
      stopping.push(supervisor.shutdown());
    }
    await Promise.all(stopping);
    // A kept supervisor keeps its descriptor; use it so handles and supervisors agree.
    this.#plugins = plugins.map((p) => this.#supervisors.get(p.id)?.plugin ?? p);
    this.#registry.setPlugins(this.#plugins);
  }
}

function sameLaunch(a: DiscoveredPlugin, b: DiscoveredPlugin): boolean {
  return (
    a.path === b.path &&
    a.entrypointSha256 === b.entrypointSha256 &&
    a.launch.command === b.launch.command &&
    JSON.stringify(a.launch.args) === JSON.stringify(b.launch.args) &&
    JSON.stringify(a.capabilities) === JSON.stringify(b.capabilities)
  );
}
