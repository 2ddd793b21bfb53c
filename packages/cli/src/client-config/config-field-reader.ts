import { resolve } from 'node:path';
import type { Problem } from '@plugboard/core';

/** Reads typed fields, recording a problem (with its path) for each wrong one. */
export class FieldReader {
  constructor(
    readonly problems: Problem[],
    private readonly home: string | undefined,
  ) {}

  record(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push({ path, message: 'must be a mapping' });
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: string, required = false): string | undefined {
    if (value === undefined || value === null) {
      if (required) this.problems.push({ path, message: 'is required' });
      return undefined;
    }
    if (typeof value !== 'string' || (required && value === '')) {
      this.problems.push({
        path,
        message: required ? 'must be a non-empty string' : 'must be a string',
      });
      return undefined;
    }
    return value;
  }

  stringList(value: unknown, path: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      this.problems.push({ path, message: 'must be a list of strings' });
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    // A whole `${VAR}` expands to text: accept its true/false spelling.
    if (value === 'true' || value === 'false') return value === 'true';
    if (typeof value !== 'boolean') {
      this.problems.push({ path, message: 'must be true or false' });
      return undefined;
    }
    return value;
  }

  number(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problems.push({ path, message: 'must be a number' });
      return undefined;
    }
    return value;
  }

  positiveInteger(value: unknown, path: string): number | undefined {
    const number = this.number(value, path);
    if (number !== undefined && (!Number.isSafeInteger(number) || number <= 0)) {
      this.problems.push({ path, message: 'must be a positive whole number' });
      return undefined;
    }
    return number;
  }

  /** `30s`, `500ms`, `2m`, or a number of seconds, in milliseconds. */
  duration(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && value > 0) return value * 1000;
    const match =
      typeof value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim()) : null;
    if (match === null || match[1] === undefined) {
      this.problems.push({ path, message: 'must be a duration such as "30s", "500ms" or "2m"' });
      return undefined;
    }
    const amount = Number(match[1]);
    const unit = match[2] ?? 's';
    const ms = unit === 'ms' ? amount : unit === 's' ? amount * 1000 : amount * 60_000;
    if (!(ms > 0)) {
      this.problems.push({ path, message: 'must be longer than 0' });
      return undefined;
    }
    return Math.round(ms);
  }

  path(value: unknown, path: string, base: string): string | undefined {
    const text = this.string(value, path);
    if (text === undefined) return undefined;
    if (text.startsWith('~/') && this.home !== undefined) return resolve(this.home, text.slice(2));
    return resolve(base, text);
  }
}
