import type { Problem } from '@plugboard/core';

/**
 * `${VAR}`, `${VAR:-default}` or `$${` (a literal `${`), the client config's syntax (the CLI's
 * `expandEnvironment`); anything else after `${` is malformed.
 */
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g;

/**
 * Expands environment references in the `token` of each entry of the config file's `remotes`, so
 * the file can say `token: ${UPSTREAM_TOKEN}` instead of holding the secret. A variable that is
 * unset or empty (without a `:-default`) is a problem at `remotes[i].token`; every one is reported
 * at once. Values are never copied into messages. Other keys and malformed entries are left to
 * the schema.
 */
export function expandRemoteTokens(
  remotes: unknown,
  env: Readonly<Record<string, string | undefined>>,
  problems: Problem[],
): unknown {
  if (!Array.isArray(remotes)) return remotes;
  return remotes.map((remote: unknown, index) => {
    if (typeof remote !== 'object' || remote === null || Array.isArray(remote)) return remote;
    const token = (remote as Record<string, unknown>)['token'];
    if (typeof token !== 'string') return remote;
    const path = `remotes[${index}].token`;
    return { ...remote, token: expandString(token, env, path, problems) };
  });
}

function expandString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  path: string,
  problems: Problem[],
): string {
  return text.replace(
    REFERENCE,
    (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${';
      if (name === undefined) {
        problems.push({ path, message: `"${match}" is not \${NAME} or \${NAME:-default}` });
        return match;
      }
      const value = env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      problems.push({
        path,
        message: `uses \${${name}}, which is not set; set it, or write \${${name}:-} to allow it empty`,
      });
      return '';
    },
  );
}
