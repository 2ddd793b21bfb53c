import { sql } from 'kysely';
import type { ColumnTypes } from '../kysely/column-types.js';

/**
 * `COLLATE "C"` makes PostgreSQL compare and sort text byte by byte, as SQLite does, whatever the
 * database's locale; it also makes `lower()` touch only ASCII letters, as SQLite's does.
 */
export const POSTGRES_COLUMN_TYPES: ColumnTypes = Object.freeze({ text: sql`text collate "C"` });
