import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DiscoveredPlugin } from './discovery/discovered-plugin.js';
import type { HostLogger } from './logs/host-logger.js';
import { classifyExit, sandboxedSpawner, type SandboxApplied } from './sandbox/index.js';
import type { PluginSpawner } from './spawner.js';

/** Environment variable naming the plugin's own data folder. */
export const DATA_DIR_ENV_VAR = 'PLUGBOARD_DATA_DIR';

/** Folder name (under the data root) lent to `capabilities` commands, which own no data. */
const CAPABILITIES_DATA_FOLDER = '.capabilities';

/** How one plugin's processes are started, and how their exits are explained. */
export interface PluginSpawnSetup {
  readonly spawner: PluginSpawner;
  /** The plugin's data folder (`<data root>/<name>`), created before each start. */
  readonly dataDir: string;
  /** Explains an unexpected exit against the sandbox's limits, e.g. "exceeded memory limit". */
  explainExit(code: number | null, signal: NodeJS.Signals | null): string | undefined;
}

/**
 * Chooses the spawner for each plugin: the host's spawner as it is, or — with `sandbox: true` —
 * wrapped by `sandboxedSpawner` with the plugin's manifest `permissions` and runtime (limits,
 * network isolation, environment allow-list, Node's permission model). Sandbox warnings are logged
 * once per plugin.
 */
export class PluginSpawners {
  readonly #base: PluginSpawner;
  readonly #sandbox: boolean;
  readonly #dataRoot: string;
  readonly #logger: HostLogger;
  readonly #warned = new Set<string>();

  constructor(options: {
    base: PluginSpawner;
    sandbox: boolean;
    dataRoot: string;
    logger: HostLogger;
  }) {
    this.#base = options.base;
    this.#sandbox = options.sandbox;
    this.#dataRoot = options.dataRoot;
    this.#logger = options.logger;
  }

  /** The spawner for one plugin's `serve` processes. */
  forPlugin(plugin: DiscoveredPlugin): PluginSpawnSetup {
    const dataDir = join(this.#dataRoot, plugin.name);
    let applied: SandboxApplied | undefined;
    const inner = this.#sandbox
      ? sandboxedSpawner(this.#base, {
          pluginDir: plugin.launch.cwd,
          dataDir,
          ...(plugin.manifest.permissions === undefined
            ? {}
            : { permissions: plugin.manifest.permissions }),
          runtime: plugin.manifest.runtime?.type ?? 'executable',
          onPlan: (plan) => {
            applied = plan.applied;
            this.#warnOnce(plugin.id, plugin.name, plan.warnings);
          },
        })
      : this.#base;
    return {
      dataDir,
      spawner: (command, args, options) => {
        mkdirSync(dataDir, { recursive: true, mode: 0o700 });
        return inner(command, args, {
          ...options,
          env: { ...options.env, [DATA_DIR_ENV_VAR]: dataDir },
        });
      },
      explainExit: (code, signal) =>
        applied === undefined ? undefined : classifyExit(code, signal, applied).message,
    };
  }

  /**
   * The spawner for `EXE capabilities` during discovery. In the sandbox it runs with no declared
   * permissions at all: answering `capabilities` needs neither network nor files.
   */
  forCapabilities(): PluginSpawner {
    if (!this.#sandbox) return this.#base;
    const dataDir = join(this.#dataRoot, CAPABILITIES_DATA_FOLDER);
    const sandboxed = sandboxedSpawner(this.#base, {
      dataDir,
      runtime: 'executable',
      onPlan: (plan) => this.#warnOnce('(capabilities)', '(capabilities)', plan.warnings),
    });
    return (command, args, options) => {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      return sandboxed(command, args, options);
    };
  }

  #warnOnce(key: string, plugin: string, warnings: readonly string[]): void {
    if (warnings.length === 0 || this.#warned.has(key)) return;
    this.#warned.add(key);
    for (const warning of warnings) this.#logger.warn({ plugin, sandbox: true }, warning);
  }
}
