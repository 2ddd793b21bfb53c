#!/usr/bin/env node
// The postgresql example provider (vendor `postgresql`, provider type `server`): collects the
// databases and roles of a PostgreSQL server, and the schemas and tables of the database it
// connects to. Plain ESM on purpose, so it runs without a build step; `pack.mjs` points the bare
// imports (`@plugboard/sdk`, `pg`) at this repository when it packages the folder.
import pg from 'pg';
import { definePlugin, PluginError, servePlugin } from '@plugboard/sdk';
import { defineProvider } from '@plugboard/sdk/provider';

/** How long to wait for the server to accept a connection, in milliseconds. */
const CONNECT_TIMEOUT_MS = 10_000;

/** Schemas PostgreSQL keeps for itself; they are not inventory. */
const SYSTEM_SCHEMAS =
  "nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg\\_toast%' and nspname not like 'pg\\_temp\\_%'";

/** SQLSTATE classes and codes that mean the credentials were refused. */
const AUTH_FAILURES = new Set(['28000', '28P01']);

/** The `pg` client settings of a connection; the password is only ever handed to `pg`. */
function clientSettings(connection) {
  const config = connection.config;
  const text = (name, fallback) => (typeof config[name] === 'string' ? config[name] : fallback);
  return {
    host: text('host', connection.endpoint ?? '127.0.0.1'),
    port: typeof config['port'] === 'number' ? config['port'] : 5432,
    database: text('database', 'postgres'),
    user: text('user', undefined),
    password: text('password', undefined),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'plugboard-postgresql-provider',
  };
}

/** A Plugboard error for a failed connection attempt, naming the server but never the password. */
function connectionError(error, settings) {
  const where = `${settings.user ?? '(no user)'}@${settings.host}:${settings.port}/${settings.database}`;
  const reason = error instanceof Error ? error.message : String(error);
  const code = AUTH_FAILURES.has(error?.code) ? 'UNAUTHENTICATED' : 'UNAVAILABLE';
  return new PluginError(code, `cannot connect to PostgreSQL at ${where}: ${reason}`);
}

async function open(connection) {
  const settings = clientSettings(connection);
  const client = new pg.Client(settings);
  // An idle client whose server goes away emits 'error'; the next query reports it instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw connectionError(error, settings);
  }
  return { client, database: settings.database };
}

async function* databases(session) {
  const { rows } = await session.client.query(
    `select d.datname, pg_get_userbyid(d.datdba) as owner, pg_encoding_to_char(d.encoding) as encoding,
            d.datallowconn, pg_database_size(d.oid) as size_bytes
       from pg_database d where not d.datistemplate order by d.datname`,
  );
  for (const row of rows) {
    yield {
      ems_ref: `database:${row.datname}`,
      resource_type: 'database',
      name: row.datname,
      state: row.datallowconn ? 'online' : 'no_connections',
      properties: { owner: row.owner, encoding: row.encoding, size_bytes: Number(row.size_bytes) },
    };
  }
}

async function* schemas(session) {
  const { rows } = await session.client.query(
    `select nspname, pg_get_userbyid(nspowner) as owner from pg_namespace
      where ${SYSTEM_SCHEMAS} order by nspname`,
  );
  const databaseRef = `database:${session.database}`;
  for (const row of rows) {
    yield {
      ems_ref: `schema:${session.database}.${row.nspname}`,
      resource_type: 'schema',
      name: row.nspname,
      properties: { database: session.database, owner: row.owner },
      relationships: [{ type: 'in_database', target_ems_ref: databaseRef }],
      parent_ems_ref: databaseRef,
    };
  }
}

async function* tables(session) {
  const { rows } = await session.client.query(
    `select n.nspname, c.relname, c.relkind, pg_get_userbyid(c.relowner) as owner,
            c.reltuples::bigint as estimated_rows
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and ${SYSTEM_SCHEMAS.replaceAll('nspname', 'n.nspname')}
      order by n.nspname, c.relname`,
  );
  for (const row of rows) {
    const schemaRef = `schema:${session.database}.${row.nspname}`;
    yield {
      ems_ref: `table:${session.database}.${row.nspname}.${row.relname}`,
      resource_type: 'table',
      name: `${row.nspname}.${row.relname}`,
      properties: {
        database: session.database,
        schema: row.nspname,
        table: row.relname,
        owner: row.owner,
        partitioned: row.relkind === 'p',
        // -1 until the table is first analyzed.
        estimated_rows: Math.max(0, Number(row.estimated_rows)),
      },
      relationships: [{ type: 'in_schema', target_ems_ref: schemaRef }],
      parent_ems_ref: schemaRef,
    };
  }
}

async function* roles(session) {
  const { rows } = await session.client.query(
    `select rolname, rolsuper, rolcanlogin, rolcreatedb, rolcreaterole from pg_roles
      where rolname not like 'pg\\_%' order by rolname`,
  );
  for (const row of rows) {
    yield {
      ems_ref: `role:${row.rolname}`,
      resource_type: 'role',
      name: row.rolname,
      state: row.rolcanlogin ? 'login' : 'nologin',
      properties: {
        superuser: row.rolsuper,
        can_login: row.rolcanlogin,
        create_db: row.rolcreatedb,
        create_role: row.rolcreaterole,
      },
    };
  }
}

/** What collect yields, keyed by resource type, parents before children. */
const COLLECTORS = { database: databases, schema: schemas, table: tables, role: roles };

await servePlugin(
  definePlugin({
    name: 'postgresql-provider',
    version: '0.1.0',
    capabilities: [
      defineProvider({
        vendor: 'postgresql',
        providerType: 'server',
        supportedResourceTypes: Object.keys(COLLECTORS),
        connect: open,
        async *collect(session, { resourceTypes, signal }) {
          for (const type of Object.keys(COLLECTORS)) {
            if (!resourceTypes.includes(type)) continue;
            for await (const resource of COLLECTORS[type](session)) {
              signal.throwIfAborted();
              yield resource;
            }
          }
        },
        disconnect: (session) => session.client.end(),
        async validateConnection(connection) {
          let session;
          try {
            session = await open(connection);
            const { rows } = await session.client.query('select version() as version');
            return { ok: true, message: String(rows[0]?.version ?? 'connected') };
          } catch (error) {
            return { ok: false, message: error instanceof Error ? error.message : String(error) };
          } finally {
            await session?.client.end().catch(() => undefined);
          }
        },
      }),
    ],
  }),
);
