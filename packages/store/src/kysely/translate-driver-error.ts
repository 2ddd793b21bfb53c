import { PlugboardError, isPlugboardError } from '@plugboard/core';
import type { DriverErrorKind } from './metadata-backend.js';

/** Errors to raise instead of a constraint violation, per operation. */
export interface ConstraintErrors {
  readonly onUniqueViolation?: () => PlugboardError;
  readonly onForeignKeyViolation?: () => PlugboardError;
}

/**
 * Turns anything a query threw into a `PlugboardError`, so no raw driver error leaves the store:
 * constraint violations become the operation's own errors, lost connections `UNAVAILABLE`, the
 * rest `INTERNAL` (the driver error stays as `cause`, for logs, never for clients).
 */
export function translateDriverError(
  error: unknown,
  kind: DriverErrorKind,
  operation: string,
  constraints: ConstraintErrors = {},
): PlugboardError {
  if (isPlugboardError(error)) return error;
  if (kind === 'unique-violation' && constraints.onUniqueViolation !== undefined) {
    return constraints.onUniqueViolation();
  }
  if (kind === 'foreign-key-violation' && constraints.onForeignKeyViolation !== undefined) {
    return constraints.onForeignKeyViolation();
  }
  if (kind === 'unavailable') {
    return new PlugboardError(
      'UNAVAILABLE',
      `metadata store: ${operation} failed because the database cannot be reached`,
      { cause: error, details: { operation } },
    );
  }
  return new PlugboardError('INTERNAL', `metadata store: ${operation} failed`, {
    cause: error,
    details: { operation },
  });
}
