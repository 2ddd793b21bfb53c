import { problemsError, type ConnectionParameter, type Problem } from '@plugboard/core';

/** What every secret value is shown as. */
export const SECRET_MASK = '********';

/**
 * Names that usually hold a credential: encrypted even when no installed plugin marks them
 * secret (the plugin may be uploaded later, and a leaked password cannot be taken back).
 */
const SECRET_LIKE_NAME = /password|passwd|secret|token|api_?key|private_?key|credential/i;

/** A provider's connection configuration split for storage. */
export interface SplitConnectionConfig {
  /** Parameters stored as they are. */
  readonly config: Record<string, unknown>;
  /** Parameters stored encrypted. */
  readonly secrets: Record<string, unknown>;
  /** Things the caller should know that did not stop the request. */
  readonly warnings: string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeProblem(type: ConnectionParameter['type'], value: unknown): string | undefined {
  const fits =
    type === 'string'
      ? typeof value === 'string'
      : type === 'integer'
        ? Number.isSafeInteger(value)
        : type === 'number'
          ? typeof value === 'number' && Number.isFinite(value)
          : type === 'boolean'
            ? typeof value === 'boolean'
            : type === 'array'
              ? Array.isArray(value)
              : isObject(value);
  // The message names the expected type only: the value may be a secret.
  return fits
    ? undefined
    : `must be ${type === 'integer' || type === 'array' || type === 'object' ? 'an' : 'a'} ${type}`;
}

/**
 * Checks `given` against a plugin's connection parameters (required, types, defaults applied) and
 * splits it into plain and secret parts. `previous` holds the secrets stored before: a secret
 * sent as `SECRET_MASK` keeps its stored value. Without `parameters` (no plugin installed) nothing
 * is checked and credential-like names are treated as secret. Throws `INVALID_ARGUMENT` listing
 * every problem as `connection_config.<name>`; messages never contain values.
 */
export function splitConnectionConfig(
  given: Json,
  parameters: readonly ConnectionParameter[] | undefined,
  previous: Json = {},
  subject = 'the provider plugin',
): SplitConnectionConfig {
  const config: Json = {};
  const secrets: Json = {};
  const warnings: string[] = [];
  const problems: Problem[] = [];
  const declared = new Map((parameters ?? []).map((p) => [p.name, p]));
  const isSecret = (name: string): boolean =>
    declared.get(name)?.secret === true ||
    ((parameters === undefined || !declared.has(name)) && SECRET_LIKE_NAME.test(name));

  for (const parameter of parameters ?? []) {
    const path = `connection_config.${parameter.name}`;
    let value = Object.hasOwn(given, parameter.name) ? given[parameter.name] : undefined;
    if (value === SECRET_MASK && isSecret(parameter.name)) value = previous[parameter.name];
    if (value === undefined || value === null) {
      if (parameter.default !== undefined) value = parameter.default;
      else if (parameter.required === true) {
        problems.push({ path, message: 'is required' });
        continue;
      } else continue;
    }
    const problem = typeProblem(parameter.type, value);
    if (problem !== undefined) {
      problems.push({ path, message: problem });
      continue;
    }
    (isSecret(parameter.name) ? secrets : config)[parameter.name] = value;
  }
  for (const [name, raw] of Object.entries(given)) {
    if (declared.has(name)) continue;
    const value = raw === SECRET_MASK && isSecret(name) ? previous[name] : raw;
    if (value === undefined || value === null) continue;
    if (parameters !== undefined) {
      warnings.push(`connection_config.${name} is not a connection parameter of ${subject}`);
    }
    (isSecret(name) ? secrets : config)[name] = value;
  }
  if (problems.length > 0) {
    throw problemsError(
      'INVALID_ARGUMENT',
      `connection_config does not fit the connection parameters of ${subject}`,
      problems,
    );
  }
  return { config, secrets, warnings };
}

/** The configuration as responses show it: every secret parameter replaced by `SECRET_MASK`. */
export function maskedConnectionConfig(
  config: Json,
  secretKeys: readonly string[],
): Record<string, unknown> {
  const shown: Json = { ...config };
  for (const key of secretKeys) shown[key] = SECRET_MASK;
  return shown;
}
