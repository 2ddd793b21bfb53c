import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** URLs tried in order when `PLUGBOARD_TEST_POSTGRES_URL` is not set. */
const CANDIDATE_URLS = [
  'postgres://postgres@127.0.0.1:5432/test',
  'postgres://root@127.0.0.1:5432/test',
];

/** How to get the PostgreSQL tests to run, for the skip message. */
export const POSTGRES_HOW_TO_ENABLE =
  'start PostgreSQL on 127.0.0.1:5432 with trust auth and a database named test ' +
  '(or set PLUGBOARD_TEST_POSTGRES_URL)';

/** Give up on an absent server quickly, in milliseconds. */
const PROBE_TIMEOUT_MS = 3_000;

/** The first URL that accepts a connection, or undefined when PostgreSQL is not reachable. */
export async function findTestPostgresUrl(): Promise<string | undefined> {
  const configured = process.env['PLUGBOARD_TEST_POSTGRES_URL'];
  for (const url of configured === undefined ? CANDIDATE_URLS : [configured]) {
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      return url;
    } catch {
      // try the next candidate
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return undefined;
}

/** A schema name no other test run uses. */
export function uniqueSchemaName(): string {
  return `pb_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one SQL statement on a short-lived connection. */
export async function runSql(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Drops a test schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  await runSql(url, `drop schema if exists "${schema}" cascade`);
}

/** A private schema for one test: its database URL (`?schema=…`) and a function that drops it. */
export function privateSchema(url: string): { url: string; schema: string; drop(): Promise<void> } {
  const schema = uniqueSchemaName();
  return { url: `${url}?schema=${schema}`, schema, drop: () => dropSchema(url, schema) };
}
