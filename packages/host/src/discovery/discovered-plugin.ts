import type { Capability, ErrorCode, PluginManifest } from '@plugboard/core';
import type { PluginLaunch } from '../plugin-launch.js';

/** How a plugin was found. */
export type PluginSource =
  /** `<root>/<name>/<version>/manifest.{json,yml,yaml}` with a runtime entrypoint. */
  | 'manifest'
  /** A bare executable file without extension; its manifest comes from `capabilities`. */
  | 'executable';

/** One plugin found on disk, ready to be started. */
export interface DiscoveredPlugin {
  /** `name@version`, or `name` when the plugin has no version. Unique per discovery. */
  readonly id: string;
  readonly name: string;
  readonly version?: string;
  readonly source: PluginSource;
  /** The manifest file, or the executable for bare executables. */
  readonly path: string;
  /** The discovery root it was found under. */
  readonly root: string;
  readonly launch: PluginLaunch;
  /** sha256 of the entrypoint file when discovered: a changed file is a changed plugin. */
  readonly entrypointSha256: string;
  /** The native manifest (imported, or built from the capabilities output). */
  readonly manifest: PluginManifest;
  readonly capabilities: readonly Capability[];
  /** Things a human should know that did not stop the plugin from loading. */
  readonly warnings: readonly string[];
}

/** A plugin that could not be loaded, and why. Discovery carries on past it. */
export interface DiscoveryProblem {
  /** The manifest, executable or folder concerned. */
  readonly path: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** What `discoverPlugins` returns. */
export interface DiscoveryResult {
  readonly plugins: readonly DiscoveredPlugin[];
  readonly problems: readonly DiscoveryProblem[];
}

/** `name@version`, or `name` without a version. */
export function pluginId(name: string, version: string | undefined): string {
  return version === undefined ? name : `${name}@${version}`;
}
