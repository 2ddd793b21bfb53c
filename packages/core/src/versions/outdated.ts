import semver from 'semver';
import { isPlugboardError } from '../errors/plugboard-error.js';
import { parseVersion } from './version.js';
import { resolveVersion, type ResolveVersionOptions } from './resolve-version.js';
import type { VersionSpec } from './version-spec.js';
import type { VersionCandidate } from './version-candidate.js';

/** What `list --outdated` shows for one installed plugin (the columns of `npm outdated`). */
export interface OutdatedStatus {
  /** The installed version. */
  readonly current: string;
  /** The newest version the install spec allows, if any is published. */
  readonly wanted: string | undefined;
  /** What `latest` resolves to, if anything. */
  readonly latest: string | undefined;
  /** True when `wanted` or `latest` is newer than `current`. */
  readonly outdated: boolean;
}

/**
 * Compares the installed version with what is published: `wanted` resolves the spec the plugin
 * was installed with (default `latest`), `latest` resolves `latest`. A spec that finds nothing
 * leaves the column undefined rather than failing the whole listing.
 */
export function outdatedStatus(
  installed: string,
  available: readonly VersionCandidate[],
  spec: string | VersionSpec = 'latest',
  options: ResolveVersionOptions = {},
): OutdatedStatus {
  parseVersion(installed);
  const wanted = resolveOrUndefined(spec, available, options);
  const latest = resolveOrUndefined('latest', available, options);
  const newer = (version: string | undefined): boolean =>
    version !== undefined && semver.gt(version, installed);
  return { current: installed, wanted, latest, outdated: newer(wanted) || newer(latest) };
}

/** True when a newer version than `installed` is published for the spec or as `latest`. */
export function isOutdated(
  installed: string,
  available: readonly VersionCandidate[],
  spec: string | VersionSpec = 'latest',
  options: ResolveVersionOptions = {},
): boolean {
  return outdatedStatus(installed, available, spec, options).outdated;
}

function resolveOrUndefined(
  spec: string | VersionSpec,
  available: readonly VersionCandidate[],
  options: ResolveVersionOptions,
): string | undefined {
  try {
    return resolveVersion(spec, available, options).version;
  } catch (error) {
    if (isPlugboardError(error, 'VERSION_NOT_FOUND')) return undefined;
    throw error;
  }
}
