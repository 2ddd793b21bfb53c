import type { Problem } from '../errors/plugboard-error.js';

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string of a parsed config document; `$${` is a
 * literal `${`. A variable that is unset (and has no default) is a problem at that value's
 * dot-path, so every missing variable is reported at once. Secrets are never copied into messages.
 */
export function expandEnvironment(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: string,
  problems: Problem[],
): unknown {
  if (typeof value === 'string') return expandString(value, env, path, problems);
  if (Array.isArray(value)) {
    return value.map((item, index) => expandEnvironment(item, env, `${path}[${index}]`, problems));
  }
  if (typeof value === 'object' && value !== null) {
    const expanded: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      expanded[key] = expandEnvironment(item, env, path === '' ? key : `${path}.${key}`, problems);
    }
    return expanded;
  }
  return value;
}

function expandString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  path: string,
  problems: Problem[],
): string {
  return text.replace(
    /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g,
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
