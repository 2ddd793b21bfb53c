import { PlugboardError, isPlugboardError } from '@plugboard/core';

/** Filesystem errors that mean "storage is full or read-only", not a bug. */
const STORAGE_UNAVAILABLE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

/** Runs a filesystem operation, turning its failure into a `PlugboardError` naming it. */
export async function guardFs<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw fsError(operation, error);
  }
}

/** A filesystem failure as a `PlugboardError`: UNAVAILABLE when storage is full, else INTERNAL. */
export function fsError(operation: string, error: unknown): PlugboardError {
  if (isPlugboardError(error)) return error;
  const code = errorCode(error);
  if (code !== undefined && STORAGE_UNAVAILABLE_CODES.has(code)) {
    return new PlugboardError('UNAVAILABLE', `blob store: ${operation} failed (${code})`, {
      cause: error,
      details: { operation, code },
    });
  }
  return new PlugboardError('INTERNAL', `blob store: ${operation} failed`, {
    cause: error,
    details: { operation, ...(code === undefined ? {} : { code }) },
  });
}

/** The `code` of a Node.js system error, if any. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
