import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_DOMAIN_ID } from '@plugboard/server';
import { createTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
before(async () => {
  server = await createTestServer();
});
after(async () => server.close());

async function publish(version: string): Promise<void> {
  await server.store.publishVersion(DEFAULT_DOMAIN_ID, {
    plugin: { name: 'resolved', manifest: { name: 'resolved' } },
    version,
    manifest: { name: 'resolved', version },
    artifact: {
      digest: `sha256:${version.replaceAll('.', '').padStart(64, '0')}`,
      size: 1,
      mediaType: 'application/gzip',
    },
  });
}

async function resolve(spec: string): Promise<string | undefined> {
  const response = await server.app.inject({
    method: 'GET',
    url: `/api/v1/plugins/resolved/resolve?spec=${encodeURIComponent(spec)}`,
    headers: server.auth(),
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<{ version?: string }>().version;
}

test('a remembered resolution follows every publish, yank and dist-tag change', async () => {
  await publish('1.0.0');
  assert.equal(await resolve('^1'), '1.0.0');
  assert.equal(await resolve('^1'), '1.0.0');
  await publish('1.1.0');
  assert.equal(await resolve('^1'), '1.1.0');
  assert.equal(await resolve('latest'), '1.1.0');
  await server.store.yankVersion(DEFAULT_DOMAIN_ID, 'resolved', '1.1.0', 'broken');
  assert.equal(await resolve('^1'), '1.0.0');
  await server.store.setDistTag(DEFAULT_DOMAIN_ID, 'resolved', 'stable', '1.0.0');
  assert.equal(await resolve('stable'), '1.0.0');
  await publish('1.2.0');
  await server.store.setDistTag(DEFAULT_DOMAIN_ID, 'resolved', 'stable', '1.2.0');
  assert.equal(await resolve('stable'), '1.2.0');
  assert.equal(await resolve('^1'), '1.2.0');
});
