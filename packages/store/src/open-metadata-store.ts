import { PlugboardError } from '@plugboard/core';
import type { MetadataStoreOptions } from './kysely/kysely-metadata-store.js';
import type { MetadataStore } from './metadata/metadata-store.js';
import {
  openPostgresMetadataStore,
  type PostgresMetadataStoreOptions,
} from './postgres/postgres-metadata-store.js';
import {
  openSqliteMetadataStore,
  type SqliteMetadataStoreOptions,
} from './sqlite/sqlite-metadata-store.js';

/** Options of `openMetadataStore`; backend-specific ones apply only to their backend. */
export type OpenMetadataStoreOptions = MetadataStoreOptions &
  Pick<SqliteMetadataStoreOptions, 'busyTimeoutMs'> &
  Pick<PostgresMetadataStoreOptions, 'poolSize' | 'connectTimeoutMs'>;

/** Where a database URL points. */
export type MetadataStoreLocation =
  | { readonly backend: 'sqlite'; readonly path: string }
  | {
      readonly backend: 'postgres';
      readonly connectionString: string;
      readonly schema: string | undefined;
    };

/**
 * Reads a database URL: `sqlite:PATH` (relative or absolute; `sqlite:///abs/path` too),
 * `sqlite::memory:`, or `postgres://…` / `postgresql://…` with an optional `?schema=NAME`.
 * `CONFIG_INVALID` for anything else.
 */
export function parseMetadataStoreUrl(url: string): MetadataStoreLocation {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw invalidUrl('sqlite: needs a file path or :memory:');
    return { backend: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalidUrl('the PostgreSQL URL cannot be parsed');
    }
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { backend: 'postgres', connectionString: parsed.toString(), schema };
  }
  throw invalidUrl('the database URL must start with sqlite: or postgres://');
}

/**
 * Opens the metadata store a database URL names and applies pending migrations. Composition roots
 * (the server's `main.ts`, the CLI) call this; everything else receives a `MetadataStore`.
 *
 * @example
 * const store = await openMetadataStore('sqlite:./plugboard-data/plugboard.db');
 * const store = await openMetadataStore('postgres://plugboard@db:5432/plugboard?schema=registry');
 */
export async function openMetadataStore(
  url: string,
  options: OpenMetadataStoreOptions = {},
): Promise<MetadataStore> {
  const location = parseMetadataStoreUrl(url);
  if (location.backend === 'sqlite') return openSqliteMetadataStore(location.path, options);
  return openPostgresMetadataStore(location.connectionString, {
    ...options,
    schema: location.schema,
  });
}

// The URL may hold a password, so messages never repeat it.
function invalidUrl(message: string): PlugboardError {
  return new PlugboardError('CONFIG_INVALID', `invalid metadata store URL: ${message}`, {
    details: { field: 'database' },
  });
}
