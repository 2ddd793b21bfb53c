import type { Expression } from 'kysely';

/**
 * The few column types that must be spelled differently per backend so that both behave alike.
 * Migrations take this instead of branching on the dialect.
 */
export interface ColumnTypes {
  /**
   * Text compared and sorted byte by byte, so `ORDER BY name` gives the same order everywhere
   * (SQLite's default BINARY collation; PostgreSQL `COLLATE "C"`).
   */
  readonly text: 'text' | Expression<unknown>;
}
