import type { HostLogger, LogFields } from '@plugboard/host';
import { SECRET_MASK } from './connection-config.js';

/** Secret values shorter than this are not searched for (too many false hits in ordinary text). */
export const MIN_REDACTED_CHARS = 4;
/** How deep log fields are searched for secrets. */
const MAX_REDACT_DEPTH = 8;

/**
 * Remembers the secret values handed to plugins in this process and masks them wherever they
 * show up later: error messages of runs and connection tests, and every log record of a plugin
 * host (a plugin may log what it was given, or quote it in an error it logs).
 */
export class SecretRedactor {
  readonly #values = new Set<string>();

  /** Adds the string forms of these values (short ones are ignored). */
  remember(values: Iterable<unknown>): void {
    for (const value of values) {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (text !== undefined && text.length >= MIN_REDACTED_CHARS) this.#values.add(text);
    }
  }

  /** `text` with every remembered secret replaced by the mask. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.#values) {
      if (result.includes(secret)) result = result.split(secret).join(SECRET_MASK);
    }
    return result;
  }

  /** A copy of `value` with secrets masked in every string, down to a bounded depth. */
  redactValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (value instanceof Error) {
      return this.redactValue(
        { ...value, type: value.name, message: value.message, stack: value.stack },
        depth,
      );
    }
    if (value === null || typeof value !== 'object' || depth >= MAX_REDACT_DEPTH) return value;
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, depth + 1));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = this.redactValue(item, depth + 1);
    return copy;
  }

  /** A logger that masks secrets in messages and fields before passing records on. */
  wrap(inner: HostLogger): HostLogger {
    const method =
      (level: keyof HostLogger) =>
      (fields: LogFields, message?: string): void => {
        if (this.#values.size === 0) {
          inner[level](fields, message);
          return;
        }
        inner[level](
          this.redactValue(fields) as LogFields,
          message === undefined ? undefined : this.redact(message),
        );
      };
    return {
      debug: method('debug'),
      info: method('info'),
      warn: method('warn'),
      error: method('error'),
    };
  }
}
