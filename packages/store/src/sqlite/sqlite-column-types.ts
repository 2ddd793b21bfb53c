import type { ColumnTypes } from '../kysely/column-types.js';

/** SQLite's default BINARY collation already compares text byte by byte. */
export const SQLITE_COLUMN_TYPES: ColumnTypes = Object.freeze({ text: 'text' });
