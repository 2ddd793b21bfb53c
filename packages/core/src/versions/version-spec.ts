import semver from 'semver';
import { PlugboardError } from '../errors/plugboard-error.js';
import { isValidVersion, shorten } from './version.js';

/** Longest version spec accepted, in characters; real specs are short, this bounds the work. */
export const MAX_VERSION_SPEC_LENGTH = 256;

/** A channel (dist-tag) name: a lower-case word such as `beta`, `rc` or `nightly`. */
export const CHANNEL_NAME_PATTERN = '^[a-z][a-z0-9-]*$';

const CHANNEL_NAME_REGEXP = new RegExp(CHANNEL_NAME_PATTERN);
const EXACT_VERSION_REGEXP = /^v?(\d.*)$/;

/**
 * What a version spec asks for.
 *
 * - `exact`: one version (`1.2.3`, `v1.2.3`); the only kind that may pick a yanked version.
 * - `range`: an npm range (`^1.2`, `~1.2.0`, `>=1 <2`, `1.x`, `*`, `a || b`); `range` is the
 *   `semver` package's normalised form, e.g. `>=1.2.0 <2.0.0-0`.
 * - `latest`: the `latest` dist-tag, else the highest release.
 * - `channel`: a dist-tag (`beta`), else the highest pre-release named after it (`2.0.0-beta.3`).
 */
export type VersionSpec =
  | { readonly kind: 'exact'; readonly text: string; readonly version: string }
  | { readonly kind: 'range'; readonly text: string; readonly range: string }
  | { readonly kind: 'latest'; readonly text: 'latest' }
  | { readonly kind: 'channel'; readonly text: string; readonly channel: string };

/** Every kind of version spec. */
export type VersionSpecKind = VersionSpec['kind'];

/**
 * Parses a version spec. Order of the checks: `latest`; an exact version (a leading `v` is
 * dropped); an npm range; a channel name (`[a-z][a-z0-9-]*`). `x` and `X` are ranges (any
 * version), as in npm. Empty specs and empty `||` alternatives are refused, although `semver`
 * reads them as `*`: a typo must not mean "any version". Surrounding spaces are refused, not
 * trimmed. Throws `VERSION_SPEC_INVALID` saying what was expected.
 *
 * @example
 * parseVersionSpec('^1.2') // {kind: 'range', text: '^1.2', range: '>=1.2.0 <2.0.0-0'}
 */
export function parseVersionSpec(text: string): VersionSpec {
  const problem = specProblem(text);
  if (problem !== undefined) {
    throw new PlugboardError(
      'VERSION_SPEC_INVALID',
      `version spec ${JSON.stringify(shorten(text))} ${problem}; expected a version (1.2.3), a range (^1.2, ~1.2.0, >=1 <2, 1.x, *), "latest" or a channel name such as "beta"`,
      { details: { spec: shorten(text) } },
    );
  }
  if (text === 'latest') return { kind: 'latest', text };
  const exact = EXACT_VERSION_REGEXP.exec(text);
  if (exact?.[1] !== undefined && isValidVersion(exact[1])) {
    return { kind: 'exact', text, version: exact[1] };
  }
  const range = semver.validRange(text);
  if (range !== null) return { kind: 'range', text, range };
  return { kind: 'channel', text, channel: text };
}

/** True when `text` parses as a version spec. */
export function isValidVersionSpec(text: unknown): text is string {
  return typeof text === 'string' && specProblem(text) === undefined;
}

/** Returns why `text` is not a version spec, or undefined when it is one. */
function specProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'is not a string';
  if (text.length === 0) return 'is empty';
  if (text.length > MAX_VERSION_SPEC_LENGTH) {
    return `is longer than ${MAX_VERSION_SPEC_LENGTH} characters`;
  }
  if (text.trim() !== text) return 'has leading or trailing spaces';
  if (text === 'latest') return undefined;
  if (text.split('||').some((part) => part.trim() === '')) {
    return 'has an empty alternative around "||"';
  }
  if (semver.validRange(text) !== null) return undefined;
  if (CHANNEL_NAME_REGEXP.test(text)) return undefined;
  return 'is not a version, range or channel name';
}
