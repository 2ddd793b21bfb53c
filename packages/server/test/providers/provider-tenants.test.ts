import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EXAMPLE_PASSWORD,
  createProviderTestServer,
  exampleProviderPackage,
  multipartFile,
  waitForRun,
} from '../helpers/provider-test-server.js';

describe('providers and tenants', () => {
  it('keep each domain’s providers, runs and resources to itself; plugins are server-wide', async () => {
    const server = await createProviderTestServer();
    try {
      await server.store.createDomain({ id: 'other', name: 'Other' });
      const otherAdmin = await server.store.createToken({
        domainId: 'other',
        name: 'admin',
        role: 'admin',
      });
      const otherReader = await server.store.createToken({
        domainId: 'other',
        name: 'reader',
        role: 'reader',
      });
      const as = (secret: string) => ({ authorization: `Bearer ${secret}` });

      // Installing code on the server needs an admin of the default domain.
      const form = multipartFile('plugin', 'p.tar.gz', exampleProviderPackage());
      const refused = await server.app.inject({
        method: 'POST',
        url: '/api/v1/provider-plugins/upload',
        payload: form.payload,
        headers: { ...form.headers, ...as(otherAdmin.secret) },
      });
      assert.equal(refused.statusCode, 403, refused.body);
      const uploaded = await server.request({
        method: 'POST',
        url: '/api/v1/provider-plugins/upload',
        ...multipartFile('plugin', 'p.tar.gz', exampleProviderPackage()),
      });
      assert.equal(uploaded.statusCode, 201, uploaded.body);

      const created = await server.request({
        method: 'POST',
        url: '/api/v1/providers',
        payload: {
          name: 'mine',
          vendor: 'example',
          provider_type: 'static',
          connection_config: { password: EXAMPLE_PASSWORD },
        },
      });
      const id = created.json<{ id: string }>().id;
      const run = await server.request({ method: 'POST', url: `/api/v1/providers/${id}/collect` });
      const runId = run.json<{ id: string }>().id;
      assert.equal((await waitForRun(server, runId))['state'], 'completed');

      const reader = as(otherReader.secret);
      const get = (url: string, headers = reader) =>
        server.app.inject({ method: 'GET', url, headers });
      assert.equal((await get(`/api/v1/providers/${id}`)).statusCode, 404);
      assert.equal((await get('/api/v1/providers')).json<{ total: number }>().total, 0);
      assert.equal((await get(`/api/v1/runs/${runId}`)).statusCode, 404);
      assert.equal((await get('/api/v1/resources')).json<{ total: number }>().total, 0);
      const plugins = await get('/api/v1/provider-plugins');
      assert.deepEqual(
        plugins
          .json<{ plugins: { key: string; instances: number }[] }>()
          .plugins.map((p) => [p.key, p.instances]),
        [['example:static', 0]],
        'the plugin is visible, the other domain’s provider is not counted',
      );
      const collect = await server.app.inject({
        method: 'POST',
        url: `/api/v1/providers/${id}/collect`,
        headers: as(otherAdmin.secret),
      });
      assert.equal(collect.statusCode, 404);
      const write = await server.app.inject({
        method: 'POST',
        url: '/api/v1/providers',
        headers: reader,
        payload: { name: 'x', vendor: 'example', provider_type: 'static' },
      });
      assert.equal(write.statusCode, 403, 'readers cannot create providers');
      assert.equal(
        (
          await get(`/api/v1/resources?provider_id=${id}`, {
            authorization: '',
          })
        ).statusCode,
        401,
        'anonymous requests read no providers',
      );
    } finally {
      await server.close();
      server.remove();
    }
  });
});
