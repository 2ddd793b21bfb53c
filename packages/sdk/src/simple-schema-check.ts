import type { JsonSchema } from '@plugboard/protocol/capabilities';
import type { InputCheck, InputProblem } from './input-validator.js';

/**
 * Keywords this checker implements exactly as Ajv does (draft 2020-12), plus annotations it may
 * ignore. A schema using anything else (`$ref`, `oneOf`, `format`, `patternProperties`, …) is left
 * to Ajv. Loading Ajv costs more than a plugin's whole start, and most configuration and input
 * schemas only use these.
 */
const SUPPORTED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'title',
  'description',
  'default',
  'examples',
  '$schema',
  '$comment',
]);

const TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** True when the schema (and every subschema) uses supported keywords with well-formed values. */
function isSimple(schema: unknown): schema is Schema | boolean {
  if (typeof schema === 'boolean') return true;
  if (!isObject(schema)) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (!SUPPORTED.has(key)) return false;
    switch (key) {
      case 'type': {
        const list: unknown[] = Array.isArray(value) ? value : [value];
        if (list.length === 0 || !list.every((t) => typeof t === 'string' && TYPES.has(t)))
          return false;
        break;
      }
      case 'properties':
        if (!isObject(value) || !Object.values(value).every(isSimple)) return false;
        break;
      case 'additionalProperties':
      case 'items':
        if (!isSimple(value)) return false;
        break;
      case 'required':
        if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) return false;
        break;
      case 'enum':
        if (!Array.isArray(value)) return false;
        break;
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof value !== 'number') return false;
        break;
      case 'minLength':
      case 'maxLength':
      case 'minItems':
      case 'maxItems':
        if (!isCount(value)) return false;
        break;
      case 'pattern':
        if (typeof value !== 'string') return false;
        try {
          new RegExp(value, 'u');
        } catch {
          return false;
        }
        break;
      default:
        break;
    }
  }
  return true;
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return value === null;
  }
}

/** JSON equality as Ajv's `enum` and `const` use it. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]))
    );
  }
  return false;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function check(
  schema: Schema | boolean,
  value: unknown,
  path: string,
  problems: InputProblem[],
): void {
  if (schema === true) return;
  if (schema === false) {
    problems.push({ path, message: 'boolean schema is false' });
    return;
  }
  const type = schema['type'];
  if (type !== undefined) {
    const types = (Array.isArray(type) ? type : [type]) as string[];
    if (!types.some((t) => typeMatches(t, value))) {
      problems.push({ path, message: `must be ${types.join(',')}` });
      return;
    }
  }
  if (schema['const'] !== undefined && !jsonEqual(schema['const'], value)) {
    problems.push({ path, message: 'must be equal to constant' });
  }
  const allowed = schema['enum'];
  if (Array.isArray(allowed) && !allowed.some((item) => jsonEqual(item, value))) {
    problems.push({ path, message: 'must be equal to one of the allowed values' });
  }
  if (typeof value === 'number') checkNumber(schema, value, path, problems);
  if (typeof value === 'string') checkString(schema, value, path, problems);
  if (Array.isArray(value)) checkArray(schema, value, path, problems);
  if (isObject(value)) checkObject(schema, value, path, problems);
}

function checkNumber(schema: Schema, value: number, path: string, problems: InputProblem[]): void {
  const bounds: [string, string, (limit: number) => boolean][] = [
    ['maximum', '<=', (limit) => value <= limit],
    ['minimum', '>=', (limit) => value >= limit],
    ['exclusiveMaximum', '<', (limit) => value < limit],
    ['exclusiveMinimum', '>', (limit) => value > limit],
  ];
  for (const [keyword, operator, ok] of bounds) {
    const limit = schema[keyword];
    if (typeof limit === 'number' && !ok(limit))
      problems.push({ path, message: `must be ${operator} ${limit}` });
  }
}

function checkString(schema: Schema, value: string, path: string, problems: InputProblem[]): void {
  // JSON Schema counts code points, not UTF-16 units.
  const length = [...value].length;
  const max = schema['maxLength'];
  const min = schema['minLength'];
  if (typeof max === 'number' && length > max)
    problems.push({ path, message: `must NOT have more than ${max} characters` });
  if (typeof min === 'number' && length < min)
    problems.push({ path, message: `must NOT have fewer than ${min} characters` });
  const pattern = schema['pattern'];
  if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) {
    problems.push({ path, message: `must match pattern "${pattern}"` });
  }
}

function checkArray(
  schema: Schema,
  value: unknown[],
  path: string,
  problems: InputProblem[],
): void {
  const max = schema['maxItems'];
  const min = schema['minItems'];
  if (typeof max === 'number' && value.length > max)
    problems.push({ path, message: `must NOT have more than ${max} items` });
  if (typeof min === 'number' && value.length < min)
    problems.push({ path, message: `must NOT have fewer than ${min} items` });
  const items = schema['items'];
  if (items !== undefined) {
    value.forEach((item, index) =>
      check(items as Schema | boolean, item, join(path, index), problems),
    );
  }
}

function checkObject(
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  problems: InputProblem[],
): void {
  const required = schema['required'];
  if (Array.isArray(required)) {
    for (const name of required as string[]) {
      if (!Object.hasOwn(value, name))
        problems.push({ path: join(path, name), message: 'is required' });
    }
  }
  const properties = (schema['properties'] ?? {}) as Record<string, Schema | boolean>;
  const additional = schema['additionalProperties'] as Schema | boolean | undefined;
  for (const [name, item] of Object.entries(value)) {
    const propertySchema = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (propertySchema !== undefined) {
      check(propertySchema, item, join(path, name), problems);
    } else if (additional === false) {
      problems.push({ path: join(path, name), message: 'is not allowed here' });
    } else if (additional !== undefined) {
      check(additional, item, join(path, name), problems);
    }
  }
}

/**
 * A checker for schemas that only use common keywords, with Ajv's messages, or `undefined` when the
 * schema needs Ajv.
 */
export function compileSimpleSchema(schema: JsonSchema): InputCheck | undefined {
  if (!isSimple(schema)) return undefined;
  return (value) => {
    const problems: InputProblem[] = [];
    check(schema, value, '', problems);
    return problems;
  };
}
