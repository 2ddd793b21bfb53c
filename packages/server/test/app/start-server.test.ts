import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadServerConfig, startServer } from '@plugboard/server';
import { makeTempDir } from '@plugboard/test-support';

const dir = makeTempDir();
after(() => dir.remove());

test('a server over a real socket answers health, readiness and JSON errors with request ids', async () => {
  const config = await loadServerConfig({ port: '0' }, {}, dir.path);
  const server = await startServer(config);
  try {
    assert.match(server.generatedAdminToken ?? '', /^pb_/);
    const health = await fetch(`${server.origin}/api/v1/healthz`);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${server.origin}/api/v1/readyz`);
    assert.deepEqual(await ready.json(), { status: 'ready', store: 'sqlite' });

    const missing = await fetch(`${server.origin}/api/v1/no/such/route`);
    assert.equal(missing.status, 404);
    const body = (await missing.json()) as { error: { code: string; requestId: string } };
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.match(body.error.requestId, /^[0-9a-f-]{36}$/);

    const anonymous = await fetch(`${server.origin}/api/v1/refresh`, { method: 'POST' });
    assert.equal(anonymous.status, 401);
    const admin = await fetch(`${server.origin}/api/v1/refresh`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.generatedAdminToken}` },
    });
    assert.equal(admin.status, 200);
  } finally {
    await server.close();
  }
  // A second start on the same data keeps the first admin token and prints none.
  const again = await startServer(config);
  try {
    assert.equal(again.generatedAdminToken, undefined);
  } finally {
    await again.close();
  }
});
