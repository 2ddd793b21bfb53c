import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PlugboardError } from '@plugboard/core';
import {
  PluginHost,
  SILENT_LOGGER,
  queryCapabilities,
  type CapabilityHandle,
  type DiscoveryProblem,
  type HostLogger,
  type PluginHostOptions,
} from '@plugboard/host';
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from '@plugboard/installer';
import {
  readInstalledEntries,
  writeInstalledEntries,
  type InstalledEntry,
} from './installed-plugins-file.js';
import {
  describeInstalledPlugin,
  providerCapabilityOf,
  type InstalledProviderPlugin,
} from './installed-provider-plugin.js';
import { stagePluginPackage } from './stage-plugin-package.js';

/** Options of `ProviderPluginRegistry.open`. */
export interface ProviderPluginRegistryOptions {
  /** Folder holding `installed.json`, `installs/` and upload temp files. */
  readonly root: string;
  /** Options of each plugin's host (roots are set per install). */
  readonly host?: Omit<PluginHostOptions, 'roots' | 'logger'> | undefined;
  readonly logger?: HostLogger | undefined;
  /** Caps applied to uploaded packages. */
  readonly limits?: Partial<PackageLimits> | undefined;
}

/** A plugin in use by a collection run or a test; `release` when done. */
export interface PluginLease {
  readonly plugin: InstalledProviderPlugin;
  /** The plugin's provider capability. */
  readonly provider: CapabilityHandle;
  release(): void;
}

/** What an upload did. */
export interface InstallResult {
  readonly plugin: InstalledProviderPlugin;
  /** The plugin it replaced (`force`), if any. */
  readonly replaced: InstalledProviderPlugin | undefined;
}

/** What a refresh found. */
export interface RefreshResult {
  readonly plugins: readonly InstalledProviderPlugin[];
  readonly problems: readonly DiscoveryProblem[];
}

/** One install folder and the host that runs it. */
interface Install {
  plugin: InstalledProviderPlugin;
  readonly host: PluginHost;
  leases: number;
  retired: boolean;
}

/**
 * The provider plugins installed on this server (seed 004's plugin registry), keyed by
 * `vendor:provider_type`. Each upload is unpacked into a folder of its own with its own
 * `PluginHost`, checked (manifest, entrypoint, a real `capabilities` run) and only then swapped in:
 * a failed upload changes nothing, and runs holding a lease on the previous version finish on it;
 * that version's processes stop and its folder goes once the last lease is released.
 */
export class ProviderPluginRegistry {
  readonly #root: string;
  readonly #installsDir: string;
  readonly #options: ProviderPluginRegistryOptions;
  readonly #logger: HostLogger;
  readonly #limits: PackageLimits;
  readonly #installs = new Map<string, Install>();
  /** Replaced or removed installs still leased by runs; their folders must stay. */
  readonly #draining = new Set<Install>();
  /** Install folders of uploads being checked right now. */
  readonly #staging = new Set<string>();
  readonly #problems: DiscoveryProblem[] = [];
  #changes: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(options: ProviderPluginRegistryOptions) {
    this.#root = options.root;
    this.#installsDir = join(options.root, 'installs');
    this.#options = options;
    this.#logger = options.logger ?? SILENT_LOGGER;
    this.#limits = { ...DEFAULT_PACKAGE_LIMITS, ...options.limits };
  }

  /** Loads the installed plugins; one that no longer loads is logged and left out. */
  static async open(options: ProviderPluginRegistryOptions): Promise<ProviderPluginRegistry> {
    const registry = new ProviderPluginRegistry(options);
    await mkdir(registry.#installsDir, { recursive: true });
    await mkdir(registry.uploadDir, { recursive: true });
    const { installs, problems } = await registry.#load();
    for (const [key, install] of installs) registry.#installs.set(key, install);
    registry.#problems.push(...problems);
    return registry;
  }

  /** Where uploads are written before they are checked. */
  get uploadDir(): string {
    return join(this.#root, 'uploads');
  }

  /** Every installed plugin, by key. */
  list(): InstalledProviderPlugin[] {
    return [...this.#installs.values()]
      .map((install) => install.plugin)
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The plugin installed for a key, or undefined. */
  get(key: string): InstalledProviderPlugin | undefined {
    return this.#installs.get(key)?.plugin;
  }

  /** Problems of the last load or refresh (plugins that did not load). */
  problems(): readonly DiscoveryProblem[] {
    return [...this.#problems];
  }

  /**
   * Takes the current version of a plugin for the caller's use; `PLUGIN_NOT_FOUND` naming the key
   * when none is installed. The version stays running until `release`, even if replaced meanwhile.
   */
  acquire(key: string): PluginLease {
    const install = this.#installs.get(key);
    if (install === undefined) {
      throw new PlugboardError(
        'PLUGIN_NOT_FOUND',
        `no provider plugin "${key}" is installed; upload one to /provider-plugins/upload`,
        { details: { key } },
      );
    }
    const provider = install.host.lookup('provider', { name: key });
    install.leases += 1;
    let released = false;
    return {
      plugin: install.plugin,
      provider,
      release: () => {
        if (released) return;
        released = true;
        install.leases -= 1;
        if (install.retired && install.leases === 0) void this.#dispose(install);
      },
    };
  }

  /**
   * Installs an uploaded package file (gzip tar or zip) and hot-loads it. `ALREADY_EXISTS` naming
   * the installed plugin when its key is taken and `force` is false; the package's own problems
   * as `PACKAGE_INVALID` / `MANIFEST_INVALID`. The file is left for the caller to remove.
   */
  async install(file: string, options: { force: boolean }): Promise<InstallResult> {
    this.#assertOpen();
    const id = `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}`;
    const directory = join(this.#installsDir, id);
    let install: Install | undefined;
    this.#staging.add(id);
    try {
      const declared = await stagePluginPackage(file, directory, this.uploadDir, this.#limits);
      if (declared !== undefined) this.#refuseTaken(declared, options.force);
      install = await this.#loadInstall(id, new Date().toISOString());
      if (declared !== undefined && declared !== install.plugin.key) {
        throw new PlugboardError(
          'MANIFEST_INVALID',
          `the manifest declares provider "${declared}" but the plugin provides "${install.plugin.key}"`,
        );
      }
      await this.#checkEntrypoint(install);
      const loaded = install;
      return await this.#serialized(async () => {
        this.#refuseTaken(loaded.plugin.key, options.force);
        const previous = this.#installs.get(loaded.plugin.key);
        this.#installs.set(loaded.plugin.key, loaded);
        try {
          await this.#save();
        } catch (error) {
          if (previous === undefined) this.#installs.delete(loaded.plugin.key);
          else this.#installs.set(loaded.plugin.key, previous);
          throw error;
        }
        if (previous !== undefined) this.#retire(previous);
        this.#logger.info(
          {
            key: loaded.plugin.key,
            version: loaded.plugin.version,
            replaced: previous?.plugin.version,
          },
          'provider plugin installed',
        );
        return { plugin: loaded.plugin, replaced: previous?.plugin };
      });
    } catch (error) {
      if (install !== undefined) await install.host.shutdown().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
      throw error;
    } finally {
      this.#staging.delete(id);
    }
  }

  /** Uninstalls a plugin; `PLUGIN_NOT_FOUND` when none has the key. Runs in flight finish. */
  async remove(key: string): Promise<InstalledProviderPlugin> {
    this.#assertOpen();
    return this.#serialized(async () => {
      const install = this.#installs.get(key);
      if (install === undefined) {
        throw new PlugboardError('PLUGIN_NOT_FOUND', `no provider plugin "${key}" is installed`, {
          details: { key },
        });
      }
      this.#installs.delete(key);
      try {
        await this.#save();
      } catch (error) {
        this.#installs.set(key, install);
        throw error;
      }
      this.#retire(install);
      this.#logger.info({ key, version: install.plugin.version }, 'provider plugin removed');
      return install.plugin;
    });
  }

  /**
   * Re-scans the installs: files changed on disk are picked up (their processes restart), and
   * `installed.json` is read again.
   */
  async refresh(): Promise<RefreshResult> {
    this.#assertOpen();
    return this.#serialized(async () => {
      const current = [...this.#installs.values()];
      const loaded = await this.#load(
        new Map(current.map((install) => [install.plugin.installId, install])),
      );
      this.#installs.clear();
      for (const [key, install] of loaded.installs) this.#installs.set(key, install);
      this.#problems.splice(0, this.#problems.length, ...loaded.problems);
      for (const install of current) {
        if (this.#installs.get(install.plugin.key) !== install) this.#retire(install);
      }
      return { plugins: this.list(), problems: this.problems() };
    });
  }

  /** Stops every plugin process. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#changes.catch(() => undefined);
    await Promise.all(
      [...this.#installs.values()].map((install) => install.host.shutdown().catch(() => undefined)),
    );
    this.#installs.clear();
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new PlugboardError('UNAVAILABLE', 'the provider plugin registry is closed');
    }
  }

  #refuseTaken(key: string, force: boolean): void {
    const existing = this.#installs.get(key)?.plugin;
    if (existing === undefined || force) return;
    throw new PlugboardError(
      'ALREADY_EXISTS',
      `provider plugin "${key}" is already installed (${existing.name}@${existing.version ?? '?'}); upload with ?force=true to replace it`,
      { details: { key, name: existing.name, version: existing.version } },
    );
  }

  async #serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#changes.then(work);
    this.#changes = result.catch(() => undefined);
    return result;
  }

  /** Loads every install `installed.json` names, reusing `reusable` ones (rediscovered). */
  async #load(
    reusable = new Map<string, Install>(),
  ): Promise<{ installs: Map<string, Install>; problems: DiscoveryProblem[] }> {
    const entries = await readInstalledEntries(this.#root);
    const installs = new Map<string, Install>();
    const problems: DiscoveryProblem[] = [];
    for (const [key, entry] of Object.entries(entries)) {
      try {
        const reused = reusable.get(entry.install);
        const install = reused ?? (await this.#loadInstall(entry.install, entry.installed_at));
        if (reused !== undefined) {
          reused.plugin = await this.#discover(reused.host, entry.install, entry.installed_at);
        }
        if (install.plugin.key !== key) {
          if (reused === undefined) await install.host.shutdown().catch(() => undefined);
          throw new PlugboardError(
            'MANIFEST_INVALID',
            `install "${entry.install}" provides "${install.plugin.key}", not "${key}"`,
          );
        }
        installs.set(key, install);
      } catch (error) {
        const failure = error as PlugboardError;
        problems.push({
          path: join(this.#installsDir, entry.install),
          code: failure.code ?? 'INTERNAL',
          message: failure.message,
        });
        this.#logger.warn(
          { key, install: entry.install, err: error },
          'an installed provider plugin does not load',
        );
      }
    }
    // Folders nothing uses are leftovers of a crash mid-upload or of retired versions.
    const keep = new Set(
      [...installs.values(), ...this.#installs.values(), ...this.#draining].map(
        (install) => install.plugin.installId,
      ),
    );
    for (const entry of Object.values(entries)) keep.add(entry.install);
    for (const id of this.#staging) keep.add(id);
    for (const name of await readdir(this.#installsDir)) {
      if (!keep.has(name))
        await rm(join(this.#installsDir, name), { recursive: true, force: true });
    }
    return { installs, problems };
  }

  async #loadInstall(id: string, installedAt: string): Promise<Install> {
    const host = new PluginHost({
      ...this.#options.host,
      roots: [join(this.#installsDir, id)],
      logger: this.#logger,
    });
    try {
      const plugin = await this.#discover(host, id, installedAt);
      return { plugin, host, leases: 0, retired: false };
    } catch (error) {
      await host.shutdown().catch(() => undefined);
      throw error;
    }
  }

  /** (Re)discovers an install folder: exactly one plugin, with a provider capability. */
  async #discover(
    host: PluginHost,
    id: string,
    installedAt: string,
  ): Promise<InstalledProviderPlugin> {
    let result;
    try {
      result = await host.discover();
    } catch (error) {
      throw packageProblem(error);
    }
    const { plugins, problems } = result;
    const [plugin, ...others] = plugins;
    if (plugin === undefined || others.length > 0) {
      const first = problems[0];
      throw new PlugboardError(
        first?.code === 'MANIFEST_INVALID' ? 'MANIFEST_INVALID' : 'PACKAGE_INVALID',
        plugin === undefined
          ? `the package holds no plugin that loads${first === undefined ? '' : `: ${first.message}`}`
          : 'the package holds more than one plugin',
        { details: { problems: problems.map((p) => ({ path: p.path, message: p.message })) } },
      );
    }
    const capability = providerCapabilityOf(plugin);
    if (capability === undefined) {
      throw new PlugboardError(
        'MANIFEST_INVALID',
        `plugin "${plugin.name}" has no provider capability with vendor and provider_type`,
        { details: { problems: [{ path: 'capabilities', message: 'needs type "provider"' }] } },
      );
    }
    return describeInstalledPlugin(plugin, capability, {
      id,
      directory: join(this.#installsDir, id),
      installedAt,
    });
  }

  /** Runs `EXE capabilities` once: an entrypoint that does not start is refused at upload. */
  async #checkEntrypoint(install: Install): Promise<void> {
    const discovered = install.host.lookup('provider', { name: install.plugin.key }).provider;
    if (discovered.kind !== 'plugin') return;
    let reported;
    try {
      reported = await queryCapabilities(discovered.plugin.launch, {
        plugin: discovered.plugin.name,
        logger: this.#logger,
        ...(this.#options.host?.env === undefined ? {} : { env: this.#options.host.env }),
      });
    } catch (cause) {
      throw new PlugboardError(
        'PACKAGE_INVALID',
        `the plugin's entrypoint does not run: ${(cause as Error).message}`,
        { cause },
      );
    }
    const matches = reported.capabilities.some(
      (c) =>
        c.type === 'provider' &&
        c.vendor === install.plugin.vendor &&
        c.provider_type === install.plugin.providerType,
    );
    if (!matches) {
      throw new PlugboardError(
        'MANIFEST_INVALID',
        `the manifest declares provider "${install.plugin.key}" but the entrypoint's capabilities do not`,
      );
    }
  }

  async #save(): Promise<void> {
    const entries: Record<string, InstalledEntry> = {};
    for (const [key, install] of this.#installs) {
      entries[key] = {
        install: install.plugin.installId,
        installed_at: install.plugin.installedAt,
      };
    }
    await writeInstalledEntries(this.#root, entries);
  }

  #retire(install: Install): void {
    install.retired = true;
    if (install.leases === 0) void this.#dispose(install);
    else this.#draining.add(install);
  }

  async #dispose(install: Install): Promise<void> {
    try {
      await install.host.shutdown();
    } catch (error) {
      this.#logger.warn(
        { err: error, key: install.plugin.key },
        'stopping a retired plugin failed',
      );
    }
    // A refresh may have taken the same folder up again under a new host.
    const reused = [...this.#installs.values()].some(
      (other) => other !== install && other.plugin.installId === install.plugin.installId,
    );
    if (!reused) {
      await rm(install.plugin.directory, { recursive: true, force: true }).catch(() => undefined);
    }
    this.#draining.delete(install);
  }
}

function packageProblem(error: unknown): PlugboardError {
  const failure = error as PlugboardError;
  if (failure.code === 'NO_PLUGINS_FOUND') {
    return new PlugboardError('PACKAGE_INVALID', 'the package holds no plugin manifest', {
      cause: error,
    });
  }
  return failure instanceof PlugboardError
    ? failure
    : new PlugboardError('INTERNAL', 'loading the plugin failed', { cause: error });
}
