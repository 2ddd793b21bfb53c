import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  makeTempDir,
  skipUnlessAvailable,
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
} from '@plugboard/test-support';
import {
  createProviderTestServer,
  multipartFile,
  waitForRun,
  type ProviderTestServer,
} from '../helpers/provider-test-server.js';

/** The repository's `examples/providers/pack.mjs`, from `dist/test/providers/`. */
const PACK_SCRIPT = fileURLToPath(
  new URL('../../../../../examples/providers/pack.mjs', import.meta.url),
);

/** A password the local PostgreSQL (trust auth) ignores; it must come back masked. */
const UNUSED_PASSWORD = 'example-providers-unused-password';

/** Packages `examples/providers/<name>` the way a user would, with a real `node pack.mjs`. */
async function packExample(name: string): Promise<Buffer> {
  const dir = makeTempDir('plugboard-example-pack-');
  try {
    const out = join(dir.path, `${name}.tar.gz`);
    await promisify(execFile)(process.execPath, [PACK_SCRIPT, name, out]);
    return await readFile(out);
  } finally {
    dir.remove();
  }
}

interface Resource {
  readonly id: string;
  readonly name: string;
  readonly resource_type: string;
  readonly parent_ems_ref: string | null;
  readonly properties: Record<string, unknown>;
}

/** Uploads a packed example, creates a provider for it, collects and waits for the run. */
async function uploadAndCollect(
  server: ProviderTestServer,
  example: string,
  provider: Record<string, unknown>,
): Promise<{ providerId: string; run: Record<string, unknown>; created: Record<string, unknown> }> {
  const upload = await server.request({
    method: 'POST',
    url: '/api/v1/provider-plugins/upload',
    ...multipartFile('plugin', `${example}.tar.gz`, await packExample(example)),
  });
  assert.equal(upload.statusCode, 201, upload.body);
  const create = await server.request({
    method: 'POST',
    url: '/api/v1/providers',
    payload: provider,
  });
  assert.equal(create.statusCode, 201, create.body);
  const created = create.json<Record<string, unknown>>();
  const providerId = String(created['id']);
  const collect = await server.request({
    method: 'POST',
    url: `/api/v1/providers/${providerId}/collect`,
  });
  assert.equal(collect.statusCode, 202, collect.body);
  const run = await waitForRun(server, String(collect.json<{ id: string }>().id), 120_000);
  return { providerId, run, created };
}

async function resources(
  server: ProviderTestServer,
  query: Record<string, string>,
): Promise<Resource[]> {
  const response = await server.request({
    method: 'GET',
    url: `/api/v1/resources?${new URLSearchParams({ limit: '1000', ...query }).toString()}`,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ resources: Resource[] }>().resources;
}

async function resourceDetail(server: ProviderTestServer, id: string) {
  const response = await server.request({ method: 'GET', url: `/api/v1/resources/${id}` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ parent_id: string | null }>();
}

describe('the linux-host example provider', () => {
  let server: ProviderTestServer;
  before(async () => {
    server = await createProviderTestServer();
  });
  after(async () => {
    await server.close();
    server.remove();
  });

  it('collects this host and its mounts, each mount pointing at the host', async () => {
    const { providerId, run } = await uploadAndCollect(server, 'linux-host', {
      name: 'this machine',
      vendor: 'linux',
      provider_type: 'host',
    });
    assert.equal(run['state'], 'completed', JSON.stringify(run));
    const hosts = await resources(server, { provider_id: providerId, resource_type: 'host' });
    assert.deepEqual(
      hosts.map((h) => h.name),
      [hostname()],
    );
    const host = hosts[0];
    assert.ok(host !== undefined);
    assert.equal(typeof host.properties['kernel'], 'string');
    const mounts = await resources(server, { provider_id: providerId, resource_type: 'mount' });
    assert.ok(mounts.length >= 1, 'at least one mount');
    const root = mounts.find((m) => m.name === '/');
    assert.ok(root !== undefined, `no "/" among ${mounts.map((m) => m.name).join(', ')}`);
    assert.equal((await resourceDetail(server, root.id)).parent_id, host.id);
    const cpus = await resources(server, { provider_id: providerId, resource_type: 'cpu' });
    assert.ok(cpus.length >= 1, 'at least one CPU');
  });
});

const postgresUrl = await findTestPostgresUrl();

describe(
  'the postgresql example provider against the local PostgreSQL',
  { skip: skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE) },
  () => {
    const schema = `pb_example_${Math.random().toString(16).slice(2, 10)}`;
    let server: ProviderTestServer;
    let admin: pg.Client;
    before(async () => {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
      await admin.query(`create table "${schema}".widgets (id integer primary key, name text)`);
      server = await createProviderTestServer();
    });
    after(async () => {
      await server.close();
      server.remove();
      await admin.query(`drop schema if exists "${schema}" cascade`);
      await admin.end();
    });

    it('collects the test database and a table of a private schema, linked table → schema → database', async () => {
      const target = new URL(postgresUrl ?? '');
      const { providerId, run, created } = await uploadAndCollect(server, 'postgresql', {
        name: 'local postgres',
        vendor: 'postgresql',
        provider_type: 'server',
        endpoint: target.hostname,
        connection_config: {
          host: target.hostname,
          port: Number(target.port || '5432'),
          database: target.pathname.slice(1),
          user: decodeURIComponent(target.username),
          password: UNUSED_PASSWORD,
        },
      });
      assert.equal(run['state'], 'completed', JSON.stringify(run));
      const config = created['connection_config'] as Record<string, unknown>;
      assert.equal(config['password'], '********');

      const databases = await resources(server, {
        provider_id: providerId,
        resource_type: 'database',
      });
      const database = databases.find((d) => d.name === target.pathname.slice(1));
      assert.ok(
        database !== undefined,
        `no test database in ${databases.map((d) => d.name).join(', ')}`,
      );

      const tables = await resources(server, {
        provider_id: providerId,
        resource_type: 'table',
        q: schema,
      });
      assert.deepEqual(
        tables.map((t) => t.name),
        [`${schema}.widgets`],
      );
      const table = tables[0];
      assert.ok(table !== undefined);
      const schemaId = (await resourceDetail(server, table.id)).parent_id;
      const schemas = await resources(server, {
        provider_id: providerId,
        resource_type: 'schema',
        q: schema,
      });
      assert.deepEqual(
        schemas.map((s) => [s.id, s.name]),
        [[schemaId, schema]],
      );
      assert.equal((await resourceDetail(server, String(schemaId))).parent_id, database.id);
      assert.ok(!server.logs().includes(UNUSED_PASSWORD), 'the password is in a log line');

      const test = await server.request({
        method: 'POST',
        url: '/api/v1/provider-plugins/postgresql:server/test',
      });
      assert.equal(test.statusCode, 200, test.body);
      assert.deepEqual(
        test
          .json<{ results: { name: string; ok: boolean }[] }>()
          .results.map((r) => [r.name, r.ok]),
        [['local postgres', true]],
      );
    });

    it('fails a run with UNAVAILABLE naming the server, never the password, when nothing listens', async () => {
      const create = await server.request({
        method: 'POST',
        url: '/api/v1/providers',
        payload: {
          name: 'nothing listens',
          vendor: 'postgresql',
          provider_type: 'server',
          // Port 1 (tcpmux) is privileged and unused here: the connection is refused at once.
          connection_config: {
            host: '127.0.0.1',
            port: 1,
            user: 'postgres',
            password: UNUSED_PASSWORD,
          },
        },
      });
      assert.equal(create.statusCode, 201, create.body);
      const id = create.json<{ id: string }>().id;
      const collect = await server.request({
        method: 'POST',
        url: `/api/v1/providers/${id}/collect`,
      });
      assert.equal(collect.statusCode, 202, collect.body);
      const run = await waitForRun(server, collect.json<{ id: string }>().id, 120_000);
      assert.equal(run['state'], 'failed');
      const error = run['error'] as { code: string; message: string };
      assert.equal(error.code, 'UNAVAILABLE');
      assert.match(
        error.message,
        /cannot connect to PostgreSQL at postgres@127\.0\.0\.1:1\/postgres/,
      );
      assert.ok(!JSON.stringify(run).includes(UNUSED_PASSWORD));

      const test = await server.request({
        method: 'POST',
        url: '/api/v1/provider-plugins/postgresql:server/test',
      });
      const results = test.json<{ results: { name: string; ok: boolean }[] }>().results;
      assert.deepEqual(results.map((r) => [r.name, r.ok]).sort(), [
        ['local postgres', true],
        ['nothing listens', false],
      ]);
      assert.ok(!server.logs().includes(UNUSED_PASSWORD), 'the password is in a log line');
    });
  },
);
