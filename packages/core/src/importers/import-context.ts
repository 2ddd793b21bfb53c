import { isPlugboardError, problemsError, type Problem } from '../errors/plugboard-error.js';
import { validateManifest } from '../manifest/validate-manifest.js';
import { joinPath } from '../schema/json-schema-validator.js';
import type { ImportedManifest, ManifestFormat } from './manifest-format.js';

/** A parsed JSON/YAML mapping. */
export type FieldMap = Record<string, unknown>;

/**
 * Reads a field only when the document itself holds it: a parsed document is a plain object, so
 * `doc['constructor']` would otherwise answer with `Object` for a field the author never wrote.
 */
export function ownField(record: FieldMap, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Sets a field whose name comes from input; a plain assignment to `__proto__` would change the prototype. */
export function setOwnField(record: FieldMap, key: string, value: unknown): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** True for a mapping (not null, not a list). */
export function isFieldMap(value: unknown): value is FieldMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Drops `undefined` entries so the converted manifest holds only fields that were set. */
export function withoutUndefined(record: FieldMap): FieldMap {
  const result: FieldMap = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) setOwnField(result, key, value);
  }
  return result;
}

/**
 * State of one conversion: every problem (with the INPUT path), every warning, and where each
 * native field came from, so a problem found by the native schema still names the input field.
 */
export class ImportContext {
  readonly problems: Problem[] = [];
  readonly warnings: string[] = [];
  private readonly origins: { native: string; input: string }[] = [];

  constructor(readonly format: ManifestFormat) {}

  /** Records a problem at an input path. */
  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Records something a human should know: a field ignored, a default taken. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Records that the native field at `nativePath` was converted from the input field at `inputPath`. */
  origin(nativePath: string, inputPath: string): void {
    this.origins.push({ native: nativePath, input: inputPath });
  }

  /** A string field; `null`/absent give `undefined`, anything else is a problem. */
  optionalString(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.problem(path, `must be a string, not ${describeValue(value)}`);
    return undefined;
  }

  /** A string field that must be present and non-empty. */
  requiredString(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) {
      this.problem(path, 'is required');
      return undefined;
    }
    const text = this.optionalString(value, path);
    if (text !== undefined && text.trim() === '') {
      this.problem(path, 'must not be empty');
      return undefined;
    }
    return text;
  }

  /** A boolean field; `null`/absent give `undefined`. */
  optionalBoolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.problem(path, `must be true or false, not ${describeValue(value)}`);
    return undefined;
  }

  /** A mapping field; `null`/absent give `undefined`. */
  optionalMap(value: unknown, path: string): FieldMap | undefined {
    if (value === undefined || value === null) return undefined;
    if (isFieldMap(value)) return value;
    this.problem(path, `must be a mapping of fields, not ${describeValue(value)}`);
    return undefined;
  }

  /** A list field; `null`/absent give `undefined`. */
  optionalList(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value as unknown[];
    this.problem(path, `must be a list, not ${describeValue(value)}`);
    return undefined;
  }

  /** A list of strings; each wrong item is its own problem. */
  optionalStringList(value: unknown, path: string): string[] | undefined {
    const list = this.optionalList(value, path);
    if (list === undefined) return undefined;
    const strings: string[] = [];
    list.forEach((item, index) => {
      if (typeof item === 'string') strings.push(item);
      else this.problem(joinPath(path, index), `must be a string, not ${describeValue(item)}`);
    });
    return strings;
  }

  /**
   * Copies the fields of `record` not named in `known` (they are preserved, never dropped) and
   * warns once listing them.
   */
  unknownFields(record: FieldMap, known: ReadonlySet<string>, where = 'top level'): FieldMap {
    const unknown: FieldMap = {};
    for (const key of Object.keys(record)) {
      if (!known.has(key)) setOwnField(unknown, key, record[key]);
    }
    const names = Object.keys(unknown);
    if (names.length > 0) {
      this.warn(`kept unrecognised ${where} field(s) in metadata: ${names.join(', ')}`);
    }
    return unknown;
  }

  /** Throws `MANIFEST_INVALID` listing every problem recorded so far, if any. */
  throwIfProblems(): void {
    if (this.problems.length > 0) {
      throw problemsError('MANIFEST_INVALID', `${this.format} manifest is invalid`, this.problems, {
        format: this.format,
      });
    }
  }

  /**
   * Ends the conversion: throws on recorded problems, then checks the native result with
   * `validateManifest`, naming input paths in whatever that finds.
   */
  finish(candidate: FieldMap): ImportedManifest {
    this.throwIfProblems();
    try {
      const manifest = validateManifest(withoutUndefined(candidate));
      return { format: this.format, manifest, warnings: [...this.warnings] };
    } catch (error) {
      if (!isPlugboardError(error, 'MANIFEST_INVALID')) throw error;
      const problems = error.problems.map((p) => this.toInputProblem(p));
      throw problemsError('MANIFEST_INVALID', `${this.format} manifest is invalid`, problems, {
        format: this.format,
      });
    }
  }

  private toInputProblem(problem: Problem): Problem {
    let best: { native: string; input: string } | undefined;
    for (const candidate of this.origins) {
      if (!isPathPrefix(candidate.native, problem.path)) continue;
      if (best === undefined || candidate.native.length > best.native.length) best = candidate;
    }
    if (best === undefined) {
      return { path: problem.path, message: `${problem.message} (in the converted manifest)` };
    }
    return { path: best.input + problem.path.slice(best.native.length), message: problem.message };
  }
}

function isPathPrefix(prefix: string, path: string): boolean {
  if (prefix === '') return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}

/** Names the JSON type of a value for messages: `a number`, `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}
