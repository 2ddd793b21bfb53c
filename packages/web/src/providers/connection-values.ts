import type { ConnectionParameter } from '@plugboard/client';

/** The kind of form control a connection parameter gets. */
export type FieldKind = 'text' | 'password' | 'number' | 'checkbox' | 'json';

/** The control for a parameter: secrets are password fields, lists and objects JSON text. */
export function fieldKind(parameter: ConnectionParameter): FieldKind {
  if (parameter.secret === true) return 'password';
  switch (parameter.type) {
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'checkbox';
    case 'array':
    case 'object':
      return 'json';
    default:
      return 'text';
  }
}

/** A problem with one field, by parameter name. */
export interface FieldProblem {
  readonly name: string;
  readonly message: string;
}

/**
 * Turns the form's raw values (strings, and booleans for checkboxes) into `connection_config`:
 * numbers parsed, JSON parsed, empty optional fields left out so the plugin's defaults apply.
 * Problems name the field; their messages never repeat a value (it may be a secret).
 */
export function connectionConfigFrom(
  parameters: readonly ConnectionParameter[],
  values: Readonly<Record<string, string | boolean>>,
): { config: Record<string, unknown>; problems: FieldProblem[] } {
  const config: Record<string, unknown> = {};
  const problems: FieldProblem[] = [];
  for (const parameter of parameters) {
    const raw = values[parameter.name];
    const kind = fieldKind(parameter);
    if (kind === 'checkbox') {
      if (typeof raw === 'boolean') config[parameter.name] = raw;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (text.trim() === '') {
      if (parameter.required === true && parameter.default === undefined) {
        problems.push({ name: parameter.name, message: 'is required' });
      }
      continue;
    }
    if (kind === 'number') {
      const value = Number(text);
      if (
        !Number.isFinite(value) ||
        (parameter.type === 'integer' && !Number.isSafeInteger(value))
      ) {
        problems.push({
          name: parameter.name,
          message: `must be ${parameter.type === 'integer' ? 'an integer' : 'a number'}`,
        });
      } else config[parameter.name] = value;
    } else if (kind === 'json') {
      try {
        const value = JSON.parse(text) as unknown;
        const fits =
          parameter.type === 'array'
            ? Array.isArray(value)
            : typeof value === 'object' && value !== null && !Array.isArray(value);
        if (fits) config[parameter.name] = value;
        else
          problems.push({
            name: parameter.name,
            message: `must be a JSON ${parameter.type ?? 'value'}`,
          });
      } catch {
        problems.push({ name: parameter.name, message: 'is not valid JSON' });
      }
    } else {
      config[parameter.name] = parameter.secret === true ? text : text.trim();
    }
  }
  return { config, problems };
}

/** The initial value of each field: the parameter's default (never for a secret). */
export function initialValues(
  parameters: readonly ConnectionParameter[],
): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const parameter of parameters) {
    const kind = fieldKind(parameter);
    if (kind === 'checkbox') values[parameter.name] = parameter.default === true;
    else if (parameter.secret === true || parameter.default === undefined)
      values[parameter.name] = '';
    else {
      const fallback = parameter.default;
      values[parameter.name] =
        typeof fallback === 'string' ||
        typeof fallback === 'number' ||
        typeof fallback === 'boolean'
          ? String(fallback)
          : JSON.stringify(fallback);
    }
  }
  return values;
}
