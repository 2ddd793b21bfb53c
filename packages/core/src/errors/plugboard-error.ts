import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/** One problem found in a document, with the dot-path of the field it concerns. */
export interface Problem {
  /** Dot-path into the document, e.g. `metadata.name` or `capabilities[0].type`; empty for the root. */
  readonly path: string;
  readonly message: string;
}

/** Extra data carried by a `PlugboardError`. */
export interface PlugboardErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable detail, safe to return to a client (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * The only error type Plugboard code throws on purpose.
 *
 * @example
 * throw new PlugboardError('PLUGIN_NOT_FOUND', `no plugin named "${name}"`, { details: { name } });
 */
export class PlugboardError extends Error {
  override readonly name = 'PlugboardError';
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: PlugboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }

  /** HTTP status for this error's code. */
  get httpStatus(): number {
    return ERROR_CODES[this.code].httpStatus;
  }

  /** CLI exit code for this error's code. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }

  /** The message without the listed problems: `details.summary` when set, else the message. */
  get summary(): string {
    const summary = this.details?.['summary'];
    return typeof summary === 'string' ? summary : this.message;
  }

  /** Problems listed in `details.problems`, if any. */
  get problems(): readonly Problem[] {
    const problems = this.details?.['problems'];
    return Array.isArray(problems) ? (problems as Problem[]) : [];
  }

  /** The JSON body the server returns: `{error: {code, message, details?}}`. */
  toJSON(): { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: { ...this.details } }),
      },
    };
  }
}

/** True when `error` is a `PlugboardError` (optionally of one code). */
export function isPlugboardError(error: unknown, code?: ErrorCode): error is PlugboardError {
  return error instanceof PlugboardError && (code === undefined || error.code === code);
}

/**
 * Builds a `MANIFEST_INVALID`-style error that lists every problem at once.
 * The message names the first few paths so a human sees them without reading details.
 */
export function problemsError(
  code: ErrorCode,
  subject: string,
  problems: readonly Problem[],
  details: Readonly<Record<string, unknown>> = {},
): PlugboardError {
  const shown = problems
    .slice(0, 5)
    .map((p) => `${p.path === '' ? '(root)' : p.path}: ${p.message}`)
    .join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  return new PlugboardError(code, `${subject}: ${shown}${more}`, {
    details: { ...details, summary: subject, problems },
  });
}
