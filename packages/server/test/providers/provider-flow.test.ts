import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  skipUnlessAvailable,
  POSTGRES_HOW_TO_ENABLE,
  findTestPostgresUrl,
  privateSchema,
} from '@plugboard/test-support';
import {
  EXAMPLE_PASSWORD,
  createProviderTestServer,
  exampleProviderPackage,
  multipartFile,
  waitForRun,
  waitForRunWhere,
  type ProviderTestServer,
} from '../helpers/provider-test-server.js';

/** A password nothing else in the test contains, so finding it anywhere is a leak. */
const SECRET = EXAMPLE_PASSWORD;

/** Where the flow runs: its database, and how to read a provider row straight from it. */
interface Backend {
  readonly name: string;
  readonly skip: string | false;
  open(): Promise<{ database: string | undefined; drop: () => Promise<void> }>;
  providerRow(
    server: ProviderTestServer,
    id: string,
  ): Promise<{ config_json: string; secrets_ciphertext: string }>;
}

const postgresUrl = await findTestPostgresUrl();

const BACKENDS: readonly Backend[] = [
  {
    name: 'SQLite',
    skip: false,
    open: () => Promise.resolve({ database: undefined, drop: () => Promise.resolve() }),
    providerRow(server, id) {
      const db = new BetterSqlite3(join(server.dataDir, 'plugboard.db'), { readonly: true });
      try {
        return Promise.resolve(
          db
            .prepare('select config_json, secrets_ciphertext from providers where id = ?')
            .get(id) as { config_json: string; secrets_ciphertext: string },
        );
      } finally {
        db.close();
      }
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipUnlessAvailable('PostgreSQL', postgresUrl !== undefined, POSTGRES_HOW_TO_ENABLE),
    open: () => {
      const schema = privateSchema(postgresUrl ?? '');
      return Promise.resolve({ database: schema.url, drop: () => schema.drop() });
    },
    async providerRow(server, id) {
      const target = new URL(server.config.database);
      const schema = target.searchParams.get('schema') ?? 'public';
      target.searchParams.delete('schema');
      const client = new pg.Client({ connectionString: target.toString() });
      await client.connect();
      try {
        const result = await client.query(
          `select config_json, secrets_ciphertext from "${schema}".providers where id = $1`,
          [id],
        );
        return result.rows[0] as { config_json: string; secrets_ciphertext: string };
      } finally {
        await client.end();
      }
    },
  },
];

for (const backend of BACKENDS) {
  describe(
    `seed 004 flow through the inventory API (${backend.name})`,
    { skip: backend.skip },
    () => {
      let server: ProviderTestServer;
      let providerId = '';
      let drop: () => Promise<void> = () => Promise.resolve();

      before(async () => {
        const opened = await backend.open();
        drop = opened.drop;
        server = await createProviderTestServer({ database: opened.database });
      });
      after(async () => {
        await server.close();
        server.remove();
        await drop();
      });

      it('uploads a plugin with curl -F plugin=@plugin.tar.gz and lists it', async () => {
        const upload = await server.request({
          method: 'POST',
          url: '/api/inventory/v1/provider-plugins/upload/',
          ...multipartFile('plugin', 'plugin.tar.gz', exampleProviderPackage('0.1.0', 'example')),
        });
        assert.equal(upload.statusCode, 201, upload.body);
        const body = upload.json<Record<string, unknown>>();
        assert.equal(body['key'], 'example:static');
        assert.equal(body['version'], '0.1.0');
        assert.equal(body['class_path'], 'main.js');
        assert.deepEqual(body['resource_types'], ['hypervisor_host', 'virtual_machine']);
        assert.equal(body['replaced'], null);

        const list = await server.request({
          method: 'GET',
          url: '/api/inventory/v1/provider-plugins/',
        });
        assert.equal(list.statusCode, 200);
        const plugins = list.json<{ plugins: { key: string; instances: number }[] }>().plugins;
        assert.deepEqual(
          plugins.map((p) => [p.key, p.instances]),
          [['example:static', 0]],
        );
        const detail = await server.request({
          method: 'GET',
          url: '/api/v1/provider-plugins/example:static',
        });
        assert.equal(detail.statusCode, 200);
        const parameters = detail.json<{
          connection_parameters: { name: string; secret?: boolean }[];
        }>().connection_parameters;
        assert.deepEqual(
          parameters.filter((p) => p.secret === true).map((p) => p.name),
          ['password'],
        );
      });

      it('refuses a second upload of the same key without force, naming the installed plugin', async () => {
        const again = await server.request({
          method: 'POST',
          url: '/api/inventory/v1/provider-plugins/upload/',
          ...multipartFile('plugin', 'plugin.tar.gz', exampleProviderPackage('0.1.1')),
        });
        assert.equal(again.statusCode, 409, again.body);
        assert.match(
          again.json<{ error: { message: string } }>().error.message,
          /example-provider@0\.1\.0/,
        );
        const broken = await server.request({
          method: 'POST',
          url: '/api/v1/provider-plugins/upload?force=true',
          ...multipartFile('plugin', 'plugin.tar.gz', Buffer.from('not a package')),
        });
        assert.equal(broken.statusCode, 400, broken.body);
        assert.equal(broken.json<{ error: { code: string } }>().error.code, 'PACKAGE_INVALID');
        const still = await server.request({
          method: 'GET',
          url: '/api/v1/provider-plugins/example:static',
        });
        assert.equal(
          still.json<{ version: string }>().version,
          '0.1.0',
          'the failed upload changed nothing',
        );
      });

      it('checks connection_config against the connection parameters', async () => {
        const missing = await server.request({
          method: 'POST',
          url: '/api/inventory/v1/providers/',
          payload: {
            name: 'p',
            vendor: 'example',
            provider_type: 'static',
            connection_config: { count: 'many' },
          },
        });
        assert.equal(missing.statusCode, 400, missing.body);
        const problems = missing.json<{
          error: { details: { problems: { path: string; message: string }[] } };
        }>().error.details.problems;
        assert.deepEqual(problems, [
          { path: 'connection_config.password', message: 'is required' },
          { path: 'connection_config.count', message: 'must be an integer' },
        ]);
        const unauthenticated = await server.app.inject({
          method: 'GET',
          url: '/api/inventory/v1/providers/',
        });
        assert.equal(unauthenticated.statusCode, 401);
      });

      it('creates a provider as seed 004 does; secrets are masked and encrypted at rest', async () => {
        const created = await server.request({
          method: 'POST',
          url: '/api/inventory/v1/providers/',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify({
            name: 'Production static',
            infrastructure: 'private_cloud',
            vendor: 'example',
            provider_type: 'static',
            endpoint: 'static.lab.local',
            organization: 1,
            connection_config: {
              password: SECRET,
              count: 4,
              hosts: 2,
              verify_ssl: false,
              region: 'x',
            },
          }),
        });
        assert.equal(created.statusCode, 201, created.body);
        const provider = created.json<Record<string, unknown>>();
        providerId = String(provider['id']);
        assert.deepEqual(provider['connection_config'], {
          password: '********',
          count: 4,
          hosts: 2,
          interval_ms: 0,
          verify_ssl: false,
          region: 'x',
        });
        assert.equal(provider['organization'], 1);
        assert.deepEqual(provider['plugin'], {
          installed: true,
          name: 'example-provider',
          version: '0.1.0',
        });
        assert.deepEqual(provider['warnings'], [
          'connection_config.region is not a connection parameter of provider plugin "example:static"',
        ]);
        assert.equal(created.body.includes(SECRET), false);

        const duplicate = await server.request({
          method: 'POST',
          url: '/api/v1/providers',
          payload: {
            name: 'Production static',
            vendor: 'example',
            provider_type: 'static',
            connection_config: { password: 'x' },
          },
        });
        assert.equal(duplicate.statusCode, 409);

        // The database holds ciphertext only.
        const row = await backend.providerRow(server, providerId);
        assert.equal(row.config_json.includes(SECRET), false);
        assert.match(row.secrets_ciphertext, /^v1:/);
        assert.equal(row.secrets_ciphertext.includes(SECRET), false);

        const shown = await server.request({
          method: 'GET',
          url: `/api/v1/providers/${providerId}`,
        });
        assert.equal(
          shown.json<{ connection_config: { password: string } }>().connection_config.password,
          '********',
        );
        const listed = await server.request({
          method: 'GET',
          url: '/api/v1/providers?vendor=example',
        });
        assert.equal(listed.json<{ total: number }>().total, 1);
        assert.equal(listed.body.includes(SECRET), false);
      });

      it('collects: 202, then the run completes and resources appear', async () => {
        const unknownType = await server.request({
          method: 'POST',
          url: `/api/v1/providers/${providerId}/collect`,
          payload: { resource_types: ['virtual_machine', 'lun'] },
        });
        assert.equal(unknownType.statusCode, 400, unknownType.body);
        assert.deepEqual(
          unknownType.json<{ error: { details: { problems: unknown[] } } }>().error.details
            .problems,
          [
            {
              path: 'body.resource_types[1]',
              message: 'must be one of hypervisor_host, virtual_machine',
            },
          ],
        );
        const queued = await server.request({
          method: 'POST',
          url: `/api/inventory/v1/providers/${providerId}/collect/`,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(queued.statusCode, 202, queued.body);
        const run = queued.json<Record<string, unknown>>();
        assert.equal(run['state'], 'pending');
        const done = await waitForRun(server, String(run['id']));
        assert.equal(done['state'], 'completed', JSON.stringify(done));
        assert.equal(done['plugin_version'], '0.1.0');
        assert.deepEqual(
          [done['found'], done['created'], done['updated'], done['unchanged'], done['removed']],
          [6, 6, 0, 0, 0],
        );
        assert.equal(typeof done['duration_ms'], 'number');

        const resources = await server.request({
          method: 'GET',
          url: '/api/inventory/v1/resources/?limit=100',
        });
        assert.equal(resources.statusCode, 200);
        const list = resources.json<{
          resources: { ems_ref: string; id: string }[];
          total: number;
        }>();
        assert.equal(list.total, 6);
        assert.deepEqual(
          list.resources.map((r) => r.ems_ref),
          ['host-0', 'host-1', 'vm-0', 'vm-1', 'vm-2', 'vm-3'],
        );
        const vms = await server.request({
          method: 'GET',
          url: `/api/v1/resources?resource_type=virtual_machine&state=running&provider_id=${providerId}`,
        });
        assert.deepEqual(
          vms.json<{ resources: { ems_ref: string }[] }>().resources.map((r) => r.ems_ref),
          ['vm-0', 'vm-2'],
        );
        const vm1 = list.resources.find((r) => r.ems_ref === 'vm-1');
        const host1 = list.resources.find((r) => r.ems_ref === 'host-1');
        const detail = await server.request({
          method: 'GET',
          url: `/api/v1/resources/${vm1?.id ?? ''}`,
        });
        const resource = detail.json<Record<string, unknown>>();
        assert.deepEqual(resource['relationships'], [
          { type: 'runs_on', target_ems_ref: 'host-1', target_id: host1?.id },
        ]);
        assert.equal(resource['parent_id'], host1?.id);
        assert.deepEqual(resource['drift'], []);
      });

      it('a second run with a smaller config updates, removes and records drift', async () => {
        const patched = await server.request({
          method: 'PATCH',
          url: `/api/v1/providers/${providerId}`,
          payload: { connection_config: { password: '********', count: 2, hosts: 1 } },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const queued = await server.request({
          method: 'POST',
          url: `/api/v1/providers/${providerId}/collect`,
        });
        assert.equal(queued.statusCode, 202);
        const done = await waitForRun(server, queued.json<{ id: string }>().id);
        assert.equal(done['state'], 'completed', JSON.stringify(done));
        // host-0 unchanged; vm-0 unchanged (same host); vm-1 moves to host-0: updated; host-1, vm-2, vm-3 gone.
        assert.deepEqual(
          [done['found'], done['created'], done['updated'], done['unchanged'], done['removed']],
          [3, 0, 1, 2, 3],
        );
        const live = await server.request({ method: 'GET', url: '/api/v1/resources' });
        assert.equal(live.json<{ total: number }>().total, 3);
        const all = await server.request({
          method: 'GET',
          url: '/api/v1/resources?include_deleted=true&q=VM-',
        });
        assert.equal(all.json<{ total: number }>().total, 4);
        const vm1 = all
          .json<{ resources: { ems_ref: string; id: string }[] }>()
          .resources.find((r) => r.ems_ref === 'vm-1');
        const detail = await server.request({
          method: 'GET',
          url: `/api/v1/resources/${vm1?.id ?? ''}`,
        });
        assert.deepEqual(
          detail
            .json<{ drift: { field: string; old_value: unknown; new_value: unknown }[] }>()
            .drift.map((d) => [d.field, d.old_value, d.new_value]),
          [
            ['parent_ems_ref', 'host-1', 'host-0'],
            [
              'relationships',
              [{ type: 'runs_on', target_ems_ref: 'host-1' }],
              [{ type: 'runs_on', target_ems_ref: 'host-0' }],
            ],
          ],
        );
      });

      it('answers 409 for a disabled provider and for one with a run queued', async () => {
        const disabled = await server.request({
          method: 'PATCH',
          url: `/api/v1/providers/${providerId}`,
          payload: { enabled: false },
        });
        assert.equal(disabled.json<{ enabled: boolean }>().enabled, false);
        const refused = await server.request({
          method: 'POST',
          url: `/api/v1/providers/${providerId}/collect`,
        });
        assert.equal(refused.statusCode, 409);
        assert.match(refused.json<{ error: { message: string } }>().error.message, /disabled/);
        await server.request({
          method: 'PATCH',
          url: `/api/v1/providers/${providerId}`,
          payload: {
            enabled: true,
            connection_config: { password: '********', interval_ms: 400, count: 20 },
          },
        });
        const first = await server.request({
          method: 'POST',
          url: `/api/v1/providers/${providerId}/collect`,
        });
        assert.equal(first.statusCode, 202);
        const second = await server.request({
          method: 'POST',
          url: `/api/v1/providers/${providerId}/collect`,
        });
        assert.equal(second.statusCode, 409, second.body);
        const runId = first.json<{ id: string }>().id;
        assert.match(
          second.json<{ error: { message: string } }>().error.message,
          new RegExp(runId),
        );

        // Cancel while it runs: the worker stops it and disconnects; nothing is removed.
        await waitForRunWhere(
          server,
          runId,
          (run) => run['state'] === 'running' && Number(run['found']) >= 1,
        );
        const canceled = await server.request({
          method: 'POST',
          url: `/api/v1/runs/${runId}/cancel`,
        });
        assert.equal(canceled.statusCode, 202);
        assert.equal(canceled.json<{ cancel_requested: boolean }>().cancel_requested, true);
        const done = await waitForRun(server, runId);
        assert.equal(done['state'], 'canceled', JSON.stringify(done));
        assert.deepEqual(done['error'], { code: 'ABORTED', message: 'the run was canceled' });
        assert.equal(done['removed'], 0);
        assert.ok(Number(done['found']) < 20, 'it stopped before the end');
        assert.ok(server.logs().includes('"msg":"collection run ended"'));
        const again = await server.request({ method: 'POST', url: `/api/v1/runs/${runId}/cancel` });
        assert.equal(again.statusCode, 409);
        const runs = await server.request({
          method: 'GET',
          url: `/api/v1/runs?provider_id=${providerId}&state=canceled`,
        });
        assert.equal(runs.json<{ total: number }>().total, 1);
      });

      it('tests the connection of each enabled provider of a plugin', async () => {
        await server.request({
          method: 'POST',
          url: '/api/v1/providers',
          payload: {
            name: 'wrong',
            vendor: 'example',
            provider_type: 'static',
            connection_config: { password: 'nope-nope' },
          },
        });
        const tested = await server.request({
          method: 'POST',
          url: '/api/inventory/v1/provider-plugins/example:static/test/',
        });
        assert.equal(tested.statusCode, 200, tested.body);
        const results = tested.json<{
          results: { name: string; ok: boolean; message?: string }[];
        }>().results;
        assert.deepEqual(
          results.map((r) => [r.name, r.ok, r.message]),
          [
            ['Production static', true, undefined],
            ['wrong', false, 'wrong password for the example provider'],
          ],
        );
      });

      it('refuses to delete a plugin in use unless forced, and reports the orphans', async () => {
        const refused = await server.request({
          method: 'DELETE',
          url: '/api/inventory/v1/provider-plugins/example:static/',
        });
        assert.equal(refused.statusCode, 409, refused.body);
        const forced = await server.request({
          method: 'DELETE',
          url: '/api/v1/provider-plugins/example:static?force=true',
        });
        assert.equal(forced.statusCode, 200, forced.body);
        assert.deepEqual(
          forced
            .json<{ orphaned_providers: { name: string }[] }>()
            .orphaned_providers.map((p) => p.name),
          ['Production static', 'wrong'],
        );
        const before = await server.request({ method: 'GET', url: '/api/v1/resources' });
        const queued = await server.request({
          method: 'POST',
          url: `/api/v1/providers/${providerId}/collect`,
        });
        const done = await waitForRun(server, queued.json<{ id: string }>().id);
        assert.equal(done['state'], 'failed');
        assert.deepEqual(done['error'], {
          code: 'PLUGIN_NOT_FOUND',
          message:
            'no provider plugin "example:static" is installed; upload one to /provider-plugins/upload',
        });
        const live = await server.request({ method: 'GET', url: '/api/v1/resources' });
        assert.equal(
          live.json<{ total: number }>().total,
          before.json<{ total: number }>().total,
          `a failed run removes nothing: ${before.body} ${live.body} ${JSON.stringify(done)}`,
        );
      });

      it('never shows or logs the secret', () => {
        const logs = server.logs();
        assert.ok(logs.includes('collection run ended'), 'runs were logged');
        assert.equal(logs.includes(SECRET), false);
      });
    },
  );
}
