import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Problem } from '../errors/plugboard-error.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Checks a value against a JSON Schema and lists every problem with its dot-path. */
export type SchemaCheck = (value: unknown) => Problem[];

let sharedAjv: Ajv2020 | undefined;

function ajv(): Ajv2020 {
  sharedAjv ??= addFormats(
    new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true, verbose: true }),
  );
  return sharedAjv;
}

/**
 * Compiles a JSON Schema (draft 2020-12) once and returns a checker.
 * Throws Ajv's own error when the schema itself is invalid; callers that compile
 * untrusted schemas use `checkSchema` first.
 */
export function compileSchema(schema: object): SchemaCheck {
  const validate: ValidateFunction = ajv().compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(toProblem));
}

/** Lists the problems of a JSON Schema document itself (it is checked against the meta-schema). */
export function checkSchema(schema: unknown): Problem[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    return [{ path: '', message: 'a JSON Schema must be an object' }];
  }
  const ok = ajv().validateSchema(schema);
  if (ok === true) return [];
  return (ajv().errors ?? []).map(toProblem);
}

/** Converts a JSON pointer (`/a/0/b`) to a dot-path (`a[0].b`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path === '' ? segment : `.${segment}`;
  }
  return path;
}

/** Appends a property name to a dot-path. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

function toProblem(error: ErrorObject): Problem {
  const path = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    return { path: joinPath(path, params['missingProperty']), message: 'is required' };
  }
  if (
    error.keyword === 'additionalProperties' &&
    typeof params['additionalProperty'] === 'string'
  ) {
    return { path: joinPath(path, params['additionalProperty']), message: 'is not allowed here' };
  }
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return {
      path,
      message: `must be one of ${params['allowedValues'].map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
  if (error.keyword === 'pattern' && typeof description === 'string') {
    // A regular expression means little to most readers; the schema's description says it in words.
    return { path, message: `is invalid: expected ${description}` };
  }
  return { path, message: error.message ?? `fails ${error.keyword}` };
}
