import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestServer, type TestServer } from '../helpers/test-server.js';

const PASSWORD = 'correct horse battery';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

let server: TestServer;
before(async () => {
  server = await createTestServer({
    env: { PLUGBOARD_ADMIN_PASSWORD: PASSWORD, PLUGBOARD_PASSWORD_FAILURES_PER_MINUTE: '2' },
  });
});
after(async () => server.close());

test('over HTTP the held address gets 429 RATE_LIMITED with Retry-After', async () => {
  const whoami = (authorization: string, remoteAddress: string) =>
    server.app.inject({ url: '/api/v1/whoami', headers: { authorization }, remoteAddress });
  assert.equal((await whoami(basic('admin', 'nope-1'), '192.0.2.7')).statusCode, 401);
  assert.equal((await whoami(basic('admin', 'nope-2'), '192.0.2.7')).statusCode, 401);
  const held = await whoami(basic('admin', PASSWORD), '192.0.2.7');
  assert.equal(held.statusCode, 429);
  assert.equal(held.json<{ error: { code: string } }>().error.code, 'RATE_LIMITED');
  assert.match(String(held.headers['retry-after']), /^\d+$/);
  const other = await whoami(basic('admin', PASSWORD), '192.0.2.8');
  assert.equal(other.statusCode, 200);
  assert.equal(other.json<{ role: string }>().role, 'admin');
});

test('X-API-Key authenticates like a Bearer token; a wrong key is 401, none is anonymous', async () => {
  const whoami = (headers: Record<string, string>) =>
    server.app.inject({ url: '/api/v1/whoami', headers });
  const keyed = await whoami({ 'x-api-key': server.adminToken });
  assert.equal(keyed.statusCode, 200);
  assert.equal(keyed.json<{ role: string }>().role, 'admin');
  assert.equal((await whoami({ 'x-api-key': 'pb_not-a-real-token-000000000000' })).statusCode, 401);
  assert.equal((await whoami({})).json<{ authenticated: boolean }>().authenticated, false);
});
