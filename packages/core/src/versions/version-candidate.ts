/**
 * One published version that a spec may resolve to. Registry index versions
 * (`RegistryVersion`) have this shape, so they can be passed as they are.
 */
export interface VersionCandidate {
  /** Strict SemVer 2.0. */
  readonly version: string;
  /**
   * `true`, or the reason it was yanked. Any string counts as yanked, even an empty one: when in
   * doubt, a withdrawn version stays withdrawn.
   */
  readonly yanked?: boolean | string | undefined;
  /**
   * `true`, or a message (e.g. what to use instead). An empty string means "not deprecated", as
   * npm uses it to lift a deprecation.
   */
  readonly deprecated?: boolean | string | undefined;
  /** RFC 3339 date-time of publication; informational only, never used to rank. */
  readonly published?: string | undefined;
}

/** True when the candidate was withdrawn. */
export function isYanked(candidate: VersionCandidate): boolean {
  return candidate.yanked === true || typeof candidate.yanked === 'string';
}

/** The reason given for a yank, if any. */
export function yankReason(candidate: VersionCandidate): string | undefined {
  return typeof candidate.yanked === 'string' && candidate.yanked !== ''
    ? candidate.yanked
    : undefined;
}

/** True when the candidate is deprecated (it may still be chosen, with a warning). */
export function isDeprecated(candidate: VersionCandidate): boolean {
  return (
    candidate.deprecated === true ||
    (typeof candidate.deprecated === 'string' && candidate.deprecated !== '')
  );
}

/** The deprecation message, if the candidate is deprecated with one. */
export function deprecationMessage(candidate: VersionCandidate): string | undefined {
  return typeof candidate.deprecated === 'string' && candidate.deprecated !== ''
    ? candidate.deprecated
    : undefined;
}
