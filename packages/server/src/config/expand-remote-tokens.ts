import { expandEnvironment, type Problem } from '@plugboard/core';

/**
 * Expands environment references (`${VAR}`, `${VAR:-default}`, `$${` for a literal `${`, as in the
 * client config) in the `token` of each entry of the config file's `remotes`, so
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
    return { ...remote, token: expandEnvironment(token, env, path, problems) };
  });
}
