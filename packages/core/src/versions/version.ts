import semver from 'semver';
import { PlugboardError } from '../errors/plugboard-error.js';
import { SEMVER_PATTERN } from '../manifest/manifest-schema.js';

/** Longest version string accepted, in characters (the `semver` package's own limit). */
export const MAX_VERSION_LENGTH = 256;

const SEMVER_REGEXP = new RegExp(SEMVER_PATTERN);

/** A SemVer 2.0 version taken apart. */
export interface ParsedVersion {
  /** The version as written (always strict SemVer, no leading `v`). */
  readonly version: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Pre-release identifiers: `1.0.0-beta.2` → `['beta', 2]`; empty for a release. */
  readonly prerelease: readonly (string | number)[];
  /** Build metadata identifiers: `1.0.0+sha.5` → `['sha', '5']`; ignored for precedence. */
  readonly build: readonly string[];
}

/**
 * True when `text` is a strict SemVer 2.0 version (no leading `v`, no surrounding spaces, each
 * number a safe integer). This is what a manifest or a registry index may hold.
 */
export function isValidVersion(text: unknown): text is string {
  return (
    typeof text === 'string' &&
    text.length <= MAX_VERSION_LENGTH &&
    SEMVER_REGEXP.test(text) &&
    semver.valid(text) !== null
  );
}

/**
 * Parses a strict SemVer 2.0 version. Throws `VERSION_INVALID` naming the text otherwise.
 *
 * @example
 * parseVersion('1.2.3-beta.1').prerelease // ['beta', 1]
 */
export function parseVersion(text: string): ParsedVersion {
  if (!isValidVersion(text)) {
    throw new PlugboardError(
      'VERSION_INVALID',
      `${JSON.stringify(shorten(text))} is not a SemVer 2.0 version (expected MAJOR.MINOR.PATCH, e.g. 1.2.3 or 1.2.3-beta.1)`,
      { details: { version: shorten(text) } },
    );
  }
  const parsed = new semver.SemVer(text);
  return {
    version: text,
    major: parsed.major,
    minor: parsed.minor,
    patch: parsed.patch,
    prerelease: [...parsed.prerelease],
    build: [...parsed.build],
  };
}

/**
 * Compares two versions by SemVer precedence: negative when `a < b`, 0 when equal, positive when
 * `a > b`. Build metadata breaks ties (so sorting is deterministic) but never outranks precedence.
 * Throws `VERSION_INVALID` for an invalid version.
 */
export function compareVersions(a: string, b: string): number {
  parseVersion(a);
  parseVersion(b);
  return semver.compareBuild(a, b);
}

/** Returns a sorted copy of `versions` (ascending unless `order` is `descending`). */
export function sortVersions(
  versions: readonly string[],
  order: 'ascending' | 'descending' = 'ascending',
): string[] {
  for (const version of versions) parseVersion(version);
  const sorted = [...versions].sort((a, b) => semver.compareBuild(a, b));
  return order === 'ascending' ? sorted : sorted.reverse();
}

/** True when `version` has pre-release identifiers (`1.0.0-rc.1`). */
export function isPrerelease(version: string): boolean {
  return parseVersion(version).prerelease.length > 0;
}

/** Cuts very long input down for messages, so an attacker cannot make errors huge. */
export function shorten(text: unknown, max = 80): string {
  const value = typeof text === 'string' ? text : String(text);
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}
