import type { JsonSchema } from '@plugboard/protocol/capabilities';
import { compileSimpleSchema } from './simple-schema-check.js';

/** One schema violation, with the dot-path of the offending value (empty for the root). */
export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

/** Checks a value and lists every problem. */
export type InputCheck = (value: unknown) => readonly InputProblem[];

interface AjvErrorLike {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

interface AjvLike {
  compile(schema: JsonSchema): ((value: unknown) => boolean) & { errors?: AjvErrorLike[] | null };
}

let ajvPromise: Promise<AjvLike> | undefined;

// Ajv is loaded on the first schema compiled, not at startup: plugin cold start is measured, and
// plugins without schemas never pay for it.
function loadAjv(): Promise<AjvLike> {
  ajvPromise ??= import('ajv/dist/2020.js').then(
    ({ Ajv2020 }) =>
      new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true }) as unknown as AjvLike,
  );
  return ajvPromise;
}

/** Converts a JSON pointer (`/a/0/b`) to a dot-path (`a[0].b`). */
export function pointerToDotPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(segment)) path += `[${segment}]`;
    else path += path === '' ? segment : `.${segment}`;
  }
  return path;
}

function join(path: string, key: unknown): string {
  const name = typeof key === 'string' ? key : '';
  return path === '' ? name : `${path}.${name}`;
}

function toProblem(error: AjvErrorLike): InputProblem {
  const path = pointerToDotPath(error.instancePath);
  if (error.keyword === 'required')
    return { path: join(path, error.params['missingProperty']), message: 'is required' };
  if (error.keyword === 'additionalProperties')
    return { path: join(path, error.params['additionalProperty']), message: 'is not allowed here' };
  return { path, message: error.message ?? `fails ${error.keyword}` };
}

/**
 * Compiles a JSON Schema (draft 2020-12) into a checker: the built-in one for schemas using only
 * common keywords, Ajv (loaded on first need) for the rest. A schema Ajv cannot compile is the
 * plugin author's mistake; it rejects with Ajv's error.
 */
export async function compileInputSchema(schema: JsonSchema): Promise<InputCheck> {
  const simple = compileSimpleSchema(schema);
  if (simple !== undefined) return simple;
  const ajv = await loadAjv();
  const validate = ajv.compile(schema);
  return (value) => (validate(value) ? [] : (validate.errors ?? []).map(toProblem));
}

/** Describes problems in one message: `count: must be integer; name: is required`. */
export function describeProblems(subject: string, problems: readonly InputProblem[]): string {
  const listed = problems
    .slice(0, 5)
    .map((p) => `${p.path === '' ? '(root)' : p.path}: ${p.message}`)
    .join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return `${subject} is invalid: ${listed}${more}`;
}
