import { ProtocolError, type ProtocolErrorCode, type ProtocolProblem } from './protocol-error.js';

/** A JSON object (not null, not an array). */
export type JsonObject = Record<string, unknown>;

/** True when `value` is a JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names the JSON type of `value` for messages (`null`, `array`, `object`, `string`, …). */
export function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Appends a property name or an array index to a dot-path. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/**
 * Collects problems while a parser walks a message, so every problem is reported at once rather
 * than the first only.
 */
export class ProblemList {
  readonly problems: ProtocolProblem[] = [];

  /** Records a problem at `path`. */
  add(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** True when nothing was recorded. */
  get empty(): boolean {
    return this.problems.length === 0;
  }

  /** Returns `obj[key]` when it is a non-empty string, else records a problem. */
  requiredString(obj: JsonObject, key: string, path: string): string | undefined {
    const value = obj[key];
    const at = childPath(path, key);
    if (value === undefined) this.add(at, 'is required');
    else if (typeof value !== 'string')
      this.add(at, `must be a string, got ${jsonTypeName(value)}`);
    else if (value === '') this.add(at, 'must not be empty');
    else return value;
    return undefined;
  }

  /** Returns `obj[key]` when absent or a string, else records a problem. */
  optionalString(obj: JsonObject, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined || typeof value === 'string') return value;
    this.add(childPath(path, key), `must be a string, got ${jsonTypeName(value)}`);
    return undefined;
  }

  /** Returns `obj[key]` when absent or an object, else records a problem. */
  optionalObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
    const value = obj[key];
    if (value === undefined || isJsonObject(value)) return value;
    this.add(childPath(path, key), `must be an object, got ${jsonTypeName(value)}`);
    return undefined;
  }

  /** Returns `obj[key]` when absent or an array of strings, else records problems. */
  optionalStringArray(obj: JsonObject, key: string, path: string): string[] | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    const at = childPath(path, key);
    if (!Array.isArray(value)) {
      this.add(at, `must be an array of strings, got ${jsonTypeName(value)}`);
      return undefined;
    }
    let ok = true;
    value.forEach((item: unknown, index) => {
      if (typeof item !== 'string') {
        this.add(childPath(at, index), `must be a string, got ${jsonTypeName(item)}`);
        ok = false;
      }
    });
    return ok ? (value as string[]) : undefined;
  }

  /** Returns `obj[key]` when absent or a string-to-string map, else records problems. */
  optionalStringMap(
    obj: JsonObject,
    key: string,
    path: string,
  ): Record<string, string> | undefined {
    const value = this.optionalObject(obj, key, path);
    if (value === undefined) return undefined;
    let ok = true;
    for (const [name, item] of Object.entries(value)) {
      if (typeof item !== 'string') {
        this.add(
          childPath(childPath(path, key), name),
          `must be a string, got ${jsonTypeName(item)}`,
        );
        ok = false;
      }
    }
    return ok ? (value as Record<string, string>) : undefined;
  }
}

/**
 * Parses JSON text; a syntax error becomes a `ProtocolError` of `code` naming `subject`. Only a short
 * preview of the text is echoed, and none when `showText` is false (the text may hold secrets).
 */
export function parseJsonText(
  text: string,
  subject: string,
  code: ProtocolErrorCode,
  showText = true,
): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProtocolError(
      code,
      `${subject} is not valid JSON (${reason})${showText ? `: "${previewText(text)}"` : ''}`,
      {
        cause: error,
        problems: [{ path: '', message: 'is not valid JSON' }],
      },
    );
  }
}

/** A short, single-line preview of untrusted text for error messages. */
export function previewText(text: string, maxLength = 60): string {
  const oneLine = text.replace(/[\r\n\t]/g, ' ');
  return oneLine.length > maxLength ? `${oneLine.slice(0, maxLength)}…` : oneLine;
}
