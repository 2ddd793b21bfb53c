import type { DriverErrorKind } from '../kysely/metadata-backend.js';

/** SQLSTATEs meaning "the database cannot serve us right now" (besides class 08, connection). */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database does not exist
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
]);

/** Node socket errors while reaching the server. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * Classifies a `pg` error: by SQLSTATE for server errors, by errno code for socket errors. `pg`
 * raises plain `Error`s without a code only for connection-level failures ("Connection terminated
 * unexpectedly", connect timeout), so those count as unavailable too.
 */
export function classifyPostgresError(error: unknown): DriverErrorKind {
  if (!(error instanceof Error)) return 'unknown';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (code === '23505') return 'unique-violation';
    if (code === '23503') return 'foreign-key-violation';
    if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || NETWORK_ERROR_CODES.has(code)) {
      return 'unavailable';
    }
    return 'unknown';
  }
  if (error instanceof AggregateError) {
    // Node reports a refused connection to every address of a host as one AggregateError.
    return error.errors.some((inner) => classifyPostgresError(inner) === 'unavailable')
      ? 'unavailable'
      : 'unknown';
  }
  return Object.getPrototypeOf(error) === Error.prototype ? 'unavailable' : 'unknown';
}
