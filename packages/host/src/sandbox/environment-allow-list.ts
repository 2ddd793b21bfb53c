/**
 * Variables every plugin receives from the host's environment. Everything else — credentials,
 * `NODE_OPTIONS`, `NODE_EXTRA_CA_CERTS` (which costs ~45 ms per Node start) — is dropped unless
 * the manifest names it in `permissions.env`.
 */
export const BASE_ENV_ALLOW_LIST: readonly string[] = Object.freeze([
  'PATH',
  'HOME',
  'LANG',
  'TZ',
  'TMPDIR',
]);

/** Prefix of the host's own variables (`PLUGBOARD_PROTOCOL`, …), always passed through. */
export const PLUGBOARD_ENV_PREFIX = 'PLUGBOARD_';

/**
 * True when `name` matches a declared entry: an exact name, or a prefix ending in `*`
 * (`AWS_*` matches `AWS_REGION`). A lone `*` matches nothing: passing the whole environment
 * must be a deliberate host setting, not a manifest line.
 */
function matchesDeclared(name: string, declared: readonly string[]): boolean {
  return declared.some((entry) =>
    entry.endsWith('*') ? entry.length > 1 && name.startsWith(entry.slice(0, -1)) : entry === name,
  );
}

/**
 * The plugin's environment: the allow-listed subset of `parentEnv` (see `BASE_ENV_ALLOW_LIST`,
 * `PLUGBOARD_*`, and the manifest's `permissions.env`). Undefined values are dropped.
 *
 * @example
 * reduceEnvironment({ PATH: '/bin', AWS_SECRET: 'x', AWS_REGION: 'eu' }, ['AWS_REGION'])
 * // → { PATH: '/bin', AWS_REGION: 'eu' }
 */
export function reduceEnvironment(
  parentEnv: Readonly<Record<string, string | undefined>>,
  declared: readonly string[] = [],
): Record<string, string> {
  const reduced: Record<string, string> = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value === undefined) continue;
    if (
      BASE_ENV_ALLOW_LIST.includes(name) ||
      name.startsWith(PLUGBOARD_ENV_PREFIX) ||
      matchesDeclared(name, declared)
    ) {
      reduced[name] = value;
    }
  }
  return reduced;
}
