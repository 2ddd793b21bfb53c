import type { CliIo } from '../cli-io.js';

/** The objects of a list answer's array field (none when it is not an array). */
export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

/** A JSON value as one table cell: text as is, absent as '', anything else as JSON. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The server's `warnings` on stderr. */
export function printWarnings(io: CliIo, answer: Record<string, unknown>): void {
  const warnings = answer['warnings'];
  if (!Array.isArray(warnings)) return;
  for (const warning of warnings) io.stderr(`warning: ${text(warning)}\n`);
}
