import type { CliIo } from '../cli-io.js';

/** A JSON value as one table cell: text as is, absent as '', anything else as JSON. */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The server's `warnings` on stderr. */
export function printWarnings(
  io: CliIo,
  answer: { readonly warnings?: readonly string[] | undefined },
): void {
  for (const warning of answer.warnings ?? []) io.stderr(`warning: ${text(warning)}\n`);
}
