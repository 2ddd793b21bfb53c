import semver from 'semver';
import { PlugboardError } from '../errors/plugboard-error.js';
import { isValidVersion, shorten } from './version.js';
import { parseVersionSpec, type VersionSpec } from './version-spec.js';
import {
  deprecationMessage,
  isDeprecated,
  isYanked,
  yankReason,
  type VersionCandidate,
} from './version-candidate.js';

/** How many versions an error message lists before it says "and N more". */
const MAX_VERSIONS_IN_MESSAGE = 10;

/** Options of `resolveVersion`. */
export interface ResolveVersionOptions {
  /** Dist-tags: channel name → version, e.g. `{latest: '1.4.0', beta: '2.0.0-beta.3'}`. */
  readonly distTags?: Readonly<Record<string, string>> | undefined;
  /** What is being resolved (a plugin name), for messages only. */
  readonly subject?: string | undefined;
}

/** The outcome of `resolveVersion`. */
export interface ResolvedVersion<C extends VersionCandidate = VersionCandidate> {
  readonly version: string;
  readonly candidate: C;
  /** Things the user should hear about: deprecation, a yanked exact pick, a dangling dist-tag. */
  readonly warnings: string[];
}

/**
 * Picks the version a spec asks for.
 *
 * - exact (`1.2.3`, `v1.2.3`): that version, even when yanked (with a warning), so a lock file
 *   keeps working after a yank. Build metadata in the spec must match too; without it any build
 *   of that version matches.
 * - range (`^1.2`, `>=1 <2`, `1.x`, `*`, `a || b`): the highest non-yanked version that satisfies
 *   it, with npm semantics: a pre-release satisfies a range only when the range itself names a
 *   pre-release on the same MAJOR.MINOR.PATCH (`^1.2.3-beta.1` admits `1.2.3-beta.2` but not
 *   `1.2.4-beta.1`). So `*` and `^1` never pick a pre-release.
 * - `latest`: the `latest` dist-tag when it names a published, non-yanked version, else the
 *   highest non-yanked release (never a pre-release).
 * - channel (`beta`): the dist-tag of that name when it names a published, non-yanked version,
 *   else the highest non-yanked pre-release whose first identifier is the channel name, alone or
 *   followed by digits (`2.0.0-beta`, `2.0.0-beta.3`, `2.0.0-beta3`). Releases never match a
 *   channel: `beta` means "the newest beta", not "the newest thing at least as new as a beta".
 *
 * A deprecated pick comes with a warning. Throws `VERSION_NOT_FOUND` (details: `spec`,
 * `available` non-yanked versions and `yanked` ones, newest first) when nothing qualifies,
 * `VERSION_SPEC_INVALID` for a bad spec and `VERSION_INVALID` for a candidate that is not SemVer.
 *
 * @example
 * resolveVersion('^1.2', [{version: '1.2.0'}, {version: '1.3.0', yanked: true}]).version // '1.2.0'
 */
export function resolveVersion<C extends VersionCandidate>(
  spec: string | VersionSpec,
  candidates: readonly C[],
  options: ResolveVersionOptions = {},
): ResolvedVersion<C> {
  const parsed = typeof spec === 'string' ? parseVersionSpec(spec) : spec;
  candidates.forEach((candidate, index) => {
    if (!isValidVersion(candidate.version)) {
      throw new PlugboardError(
        'VERSION_INVALID',
        `candidate [${index}] has version ${JSON.stringify(shorten(candidate.version))}, which is not SemVer 2.0`,
        { details: { index, version: shorten(candidate.version) } },
      );
    }
  });
  const warnings: string[] = [];
  const chosen = choose(parsed, candidates, options, warnings);
  if (chosen === undefined) throw notFound(parsed, candidates, options);
  if (isYanked(chosen)) {
    const reason = yankReason(chosen);
    warnings.push(
      `${chosen.version} is yanked${reason === undefined ? '' : ` (${reason})`}; it was chosen only because it was asked for by exact version`,
    );
  }
  if (isDeprecated(chosen)) {
    const message = deprecationMessage(chosen);
    warnings.push(`${chosen.version} is deprecated${message === undefined ? '' : `: ${message}`}`);
  }
  return { version: chosen.version, candidate: chosen, warnings };
}

function choose<C extends VersionCandidate>(
  spec: VersionSpec,
  candidates: readonly C[],
  options: ResolveVersionOptions,
  warnings: string[],
): C | undefined {
  switch (spec.kind) {
    case 'exact':
      return highest(candidates.filter((c) => sameVersion(c.version, spec.version)));
    case 'range':
      return highest(
        candidates.filter((c) => !isYanked(c) && semver.satisfies(c.version, spec.range)),
      );
    case 'latest':
      return (
        taggedVersion('latest', candidates, options, warnings) ??
        highest(candidates.filter((c) => !isYanked(c) && semver.prerelease(c.version) === null))
      );
    case 'channel':
      return (
        taggedVersion(spec.channel, candidates, options, warnings) ??
        highest(
          candidates.filter((c) => !isYanked(c) && isChannelPrerelease(c.version, spec.channel)),
        )
      );
  }
}

/** The candidate a dist-tag points to, or undefined (with a warning) when it cannot be used. */
function taggedVersion<C extends VersionCandidate>(
  tag: string,
  candidates: readonly C[],
  options: ResolveVersionOptions,
  warnings: string[],
): C | undefined {
  const distTags = options.distTags;
  if (distTags === undefined || !Object.hasOwn(distTags, tag)) return undefined;
  const target = distTags[tag];
  if (typeof target !== 'string' || !isValidVersion(target)) {
    warnings.push(
      `dist-tag "${tag}" is ${JSON.stringify(shorten(target))}, not a version; ignoring it`,
    );
    return undefined;
  }
  const candidate = highest(candidates.filter((c) => sameVersion(c.version, target)));
  if (candidate === undefined) {
    warnings.push(`dist-tag "${tag}" points to ${target}, which is not published; ignoring it`);
    return undefined;
  }
  if (isYanked(candidate)) {
    warnings.push(`dist-tag "${tag}" points to ${target}, which is yanked; ignoring it`);
    return undefined;
  }
  return candidate;
}

/** Equal precedence, and equal build metadata when `wanted` names some. */
function sameVersion(version: string, wanted: string): boolean {
  if (!semver.eq(version, wanted)) return false;
  const wantedBuild = semver.parse(wanted)?.build ?? [];
  return wantedBuild.length === 0 || semver.compareBuild(version, wanted) === 0;
}

/** True for `X.Y.Z-<channel>`, `-<channel>.N…` and `-<channel>N…`. */
export function isChannelPrerelease(version: string, channel: string): boolean {
  const first = semver.prerelease(version)?.[0];
  if (typeof first !== 'string' || !first.startsWith(channel)) return false;
  return /^\d*$/.test(first.slice(channel.length));
}

function highest<C extends VersionCandidate>(candidates: readonly C[]): C | undefined {
  let best: C | undefined;
  for (const candidate of candidates) {
    if (best === undefined || semver.compareBuild(candidate.version, best.version) > 0) {
      best = candidate;
    }
  }
  return best;
}

function notFound(
  spec: VersionSpec,
  candidates: readonly VersionCandidate[],
  options: ResolveVersionOptions,
): PlugboardError {
  const newestFirst = [...candidates].sort((a, b) => semver.compareBuild(b.version, a.version));
  const available = newestFirst.filter((c) => !isYanked(c)).map((c) => c.version);
  const yanked = newestFirst.filter((c) => isYanked(c)).map((c) => c.version);
  const subject = options.subject === undefined ? '' : ` of ${options.subject}`;
  let listing: string;
  if (available.length === 0) {
    listing = yanked.length === 0 ? 'none is published' : 'every published version is yanked';
  } else {
    const shown = available.slice(0, MAX_VERSIONS_IN_MESSAGE).join(', ');
    const more =
      available.length > MAX_VERSIONS_IN_MESSAGE
        ? ` and ${available.length - MAX_VERSIONS_IN_MESSAGE} more`
        : '';
    listing = `available: ${shown}${more}`;
    if (spec.kind === 'latest' && available.every((v) => semver.prerelease(v) !== null)) {
      listing += ' (only pre-releases; ask for one by version, range or channel)';
    }
  }
  return new PlugboardError(
    'VERSION_NOT_FOUND',
    `no version${subject} satisfies "${shorten(spec.text)}"; ${listing}`,
    {
      details: {
        spec: spec.text,
        ...(options.subject === undefined ? {} : { subject: options.subject }),
        available,
        yanked,
      },
    },
  );
}
