import type { DriverErrorKind } from '../kysely/metadata-backend.js';

/** Result codes meaning "the database file cannot be used right now". */
const UNAVAILABLE_PREFIXES = [
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_NOTADB',
  'SQLITE_PERM',
];

/** Classifies a better-sqlite3 error by its extended result code (`SqliteError.code`). */
export function classifySqliteError(error: unknown): DriverErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'unknown';
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return 'unique-violation';
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign-key-violation';
  if (UNAVAILABLE_PREFIXES.some((prefix) => code.startsWith(prefix))) return 'unavailable';
  return 'unknown';
}
