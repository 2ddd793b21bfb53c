import {
  compareVersions as compareSemver,
  isPlugboardError,
  isPrerelease,
  PlugboardError,
  resolveVersion,
  type Capability,
} from '@plugboard/core';
import { providerKey } from '@plugboard/protocol';
import type { DiscoveredPlugin } from '../discovery/discovered-plugin.js';
import type { InProcessHandlers } from './in-process-handlers.js';

/** What a lookup asks for besides the capability type. */
export interface LookupOptions {
  /** Capability name, one of its aliases, or for providers `vendor:provider_type`. */
  readonly name?: string;
  /** SemVer range the plugin's version must satisfy, e.g. `^1.2.0`. */
  readonly versionRange?: string;
}

/** A capability served by a discovered plugin. */
export interface PluginRegistration {
  readonly kind: 'plugin';
  readonly type: string;
  readonly name?: string;
  readonly plugin: DiscoveredPlugin;
  readonly capability: Capability;
}

/** A capability served by handlers in the host's own process. */
export interface InProcessRegistration {
  readonly kind: 'in-process';
  readonly type: string;
  readonly name?: string;
  readonly handlers: InProcessHandlers;
}

/** Either kind of registration; what a lookup resolves to. */
export type Registration = PluginRegistration | InProcessRegistration;

/** Two plugins that provide the same capability type and name at the same version. */
export interface CapabilityConflict {
  readonly type: string;
  readonly name?: string;
  readonly version?: string;
  readonly paths: readonly string[];
}

/**
 * Typed lookup (seed 001's registries): which plugin serves capability type T (named N, version in
 * range R). In-process registrations win over plugins; among plugins the highest version wins; two
 * plugins offering the same type and name at that version are a `CAPABILITY_CONFLICT`.
 */
export class CapabilityRegistry {
  #plugins: PluginRegistration[] = [];
  readonly #inProcess: InProcessRegistration[] = [];

  /** Replaces every plugin registration with the capabilities of these plugins. */
  setPlugins(plugins: readonly DiscoveredPlugin[]): void {
    this.#plugins = plugins.flatMap((plugin) =>
      plugin.capabilities.map((capability) => ({
        kind: 'plugin' as const,
        type: capability.type,
        ...(capability.name === undefined ? {} : { name: capability.name }),
        plugin,
        capability,
      })),
    );
  }

  /** Registers handlers in the host's own process; a later registration of the same type and name replaces an earlier one. */
  registerInProcess(type: string, name: string | undefined, handlers: InProcessHandlers): void {
    const index = this.#inProcess.findIndex((r) => r.type === type && r.name === name);
    const registration: InProcessRegistration = {
      kind: 'in-process',
      type,
      ...(name === undefined ? {} : { name }),
      handlers,
    };
    if (index === -1) this.#inProcess.push(registration);
    else this.#inProcess[index] = registration;
  }

  /** Every pair (or more) of plugins that provide the same type and name at the same version. */
  conflicts(): CapabilityConflict[] {
    const groups = new Map<string, PluginRegistration[]>();
    for (const registration of this.#plugins) {
      const key = JSON.stringify([
        registration.type,
        registration.name ?? null,
        registration.plugin.version ?? null,
      ]);
      groups.set(key, [...(groups.get(key) ?? []), registration]);
    }
    return [...groups.values()]
      .filter((group) => new Set(group.map((r) => r.plugin.path)).size > 1)
      .map((group) => conflictOf(group));
  }

  /**
   * Resolves a capability: without a version spec the highest release (a pre-release only when
   * there is nothing else), else the version core's `resolveVersion` picks for the spec. Throws `PLUGIN_NOT_FOUND` when nothing provides it, `VERSION_NOT_FOUND`
   * when nothing in the range does, `CAPABILITY_CONFLICT` naming both plugins' paths when two
   * plugins tie, and `INVALID_ARGUMENT` when no name was given and several named ones tie.
   */
  resolve(type: string, options: LookupOptions = {}): Registration {
    const inProcess = this.#inProcess.filter(
      (r) => r.type === type && (options.name === undefined || r.name === options.name),
    );
    const preferred = inProcess.find((r) => r.name === options.name) ?? inProcess[0];
    if (preferred !== undefined) return preferred;

    const what = describe(type, options.name);
    const matching = this.#plugins.filter(
      (r) =>
        r.type === type && (options.name === undefined || matchesName(r.capability, options.name)),
    );
    if (matching.length === 0) {
      throw new PlugboardError('PLUGIN_NOT_FOUND', `no plugin provides ${what}`, {
        details: { type, ...(options.name === undefined ? {} : { name: options.name }) },
      });
    }
    const range = options.versionRange;
    const inRange =
      range === undefined ? preferReleases(matching) : this.#inVersionRange(matching, range, what);
    const best = inRange.reduce((a, b) => (comparePluginVersions(a, b) >= 0 ? a : b));
    const tied = inRange.filter(
      (r) => comparePluginVersions(r, best) === 0 && r.plugin.path !== best.plugin.path,
    );
    if (tied.length === 0) return best;
    const group = [best, ...tied];
    if (group.every((r) => r.name === best.name)) {
      const conflict = conflictOf(group);
      throw new PlugboardError(
        'CAPABILITY_CONFLICT',
        `${what} version ${best.plugin.version ?? '(none)'} is provided by more than one plugin: ${conflict.paths.map((p) => `"${p}"`).join(' and ')}`,
        { details: { ...conflict } },
      );
    }
    const names = group.map((r) => `${r.name ?? '(unnamed)'} from "${r.plugin.path}"`);
    throw new PlugboardError(
      'INVALID_ARGUMENT',
      `several plugins provide ${what}: ${names.join(', ')}; pass a name to choose`,
      { details: { type, candidates: group.map((r) => ({ name: r.name, path: r.plugin.path })) } },
    );
  }

  /**
   * The registrations whose plugin version is the one core's `resolveVersion` picks for the spec
   * (a range, an exact version, `latest` or a channel); unversioned plugins never match a spec.
   */
  #inVersionRange(
    matching: readonly PluginRegistration[],
    spec: string,
    what: string,
  ): PluginRegistration[] {
    const candidates = matching.flatMap((registration) =>
      registration.plugin.version === undefined
        ? []
        : [{ version: registration.plugin.version, registration }],
    );
    let chosen: string;
    try {
      chosen = resolveVersion(spec, candidates, { subject: what }).version;
    } catch (error) {
      if (!isPlugboardError(error, 'VERSION_NOT_FOUND')) throw error;
      const found = matching.map((r) => `${r.plugin.name}@${r.plugin.version ?? '(none)'}`);
      throw new PlugboardError(
        'VERSION_NOT_FOUND',
        `no plugin provides ${what} in version range "${spec}"; found ${found.join(', ')}`,
        { cause: error, details: { versionRange: spec, found } },
      );
    }
    return candidates
      .filter((candidate) => compareSemver(candidate.version, chosen) === 0)
      .map((candidate) => candidate.registration);
  }

  /** Every registration, in-process first. */
  list(): Registration[] {
    return [...this.#inProcess, ...this.#plugins];
  }
}

/** Without a version spec, a release beats any pre-release (npm's `latest`), if there is one. */
function preferReleases(matching: readonly PluginRegistration[]): readonly PluginRegistration[] {
  const releases = matching.filter(
    (r) => r.plugin.version === undefined || !isPrerelease(r.plugin.version),
  );
  return releases.some((r) => r.plugin.version !== undefined) ? releases : matching;
}

function describe(type: string, name: string | undefined): string {
  return name === undefined ? `capability "${type}"` : `capability "${type}" named "${name}"`;
}

function matchesName(capability: Capability, name: string): boolean {
  if (capability.name === name) return true;
  if (capability.aliases?.includes(name) === true) return true;
  return (
    capability.vendor !== undefined &&
    capability.provider_type !== undefined &&
    providerKey(capability.vendor, capability.provider_type) === name
  );
}

/** Higher version first; a plugin without a version ranks below every versioned one. */
function comparePluginVersions(a: PluginRegistration, b: PluginRegistration): number {
  const left = a.plugin.version;
  const right = b.plugin.version;
  if (left === undefined || right === undefined) {
    return left === right ? 0 : left === undefined ? -1 : 1;
  }
  return compareSemver(left, right);
}

function conflictOf(group: readonly PluginRegistration[]): CapabilityConflict {
  const first = group[0];
  return {
    type: first?.type ?? '',
    ...(first?.name === undefined ? {} : { name: first.name }),
    ...(first?.plugin.version === undefined ? {} : { version: first.plugin.version }),
    paths: [...new Set(group.map((r) => r.plugin.path))],
  };
}
