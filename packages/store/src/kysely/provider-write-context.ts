import type { Kysely, Transaction } from 'kysely';
import type { ProviderTables } from './provider-tables.js';

/** The provider store's database handle. */
export type ProviderDb = Kysely<ProviderTables>;

/** What a provider-store write runs with: its transaction and one timestamp for every row. */
export interface ProviderWriteContext {
  readonly trx: Transaction<ProviderTables>;
  /** RFC 3339 UTC time of the write. */
  readonly now: string;
}

/** 1-based page and limit → SQL limit and offset, within bounds. */
export function pageWindow(
  page: number | undefined,
  limit: number | undefined,
  defaultLimit: number,
  maxLimit: number,
): { limit: number; offset: number } {
  const size = Math.min(Math.max(Math.trunc(limit ?? defaultLimit), 1), maxLimit);
  const index = Math.max(Math.trunc(page ?? 1), 1);
  return { limit: size, offset: (index - 1) * size };
}
