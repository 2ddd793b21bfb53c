import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
before(async () => {
  server = await createTestServer();
});
after(async () => server.close());

test('an operator creates a domain and a token for it; the secret is shown once and works', async () => {
  const domain = await server.app.inject({
    method: 'POST',
    url: '/api/v1/domains',
    headers: server.auth(),
    payload: { id: 'team-a', name: 'Team A' },
  });
  assert.equal(domain.statusCode, 201, domain.body);
  const created = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: server.auth(),
    payload: { name: 'team a admin', role: 'admin', domain_id: 'team-a' },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { secret, id } = created.json<{ secret: string; id: string }>();
  const whoami = await server.app.inject({ url: '/api/v1/whoami', headers: server.auth(secret) });
  assert.deepEqual(whoami.json(), {
    authenticated: true,
    domain_id: 'team-a',
    role: 'admin',
    token_id: id,
  });

  const listed = await server.app.inject({ url: '/api/v1/tokens', headers: server.auth(secret) });
  assert.ok(!listed.body.includes(secret), 'a listed token never shows its secret');

  // Team A's admin is not an operator: it cannot create domains or tokens elsewhere.
  const forbidden = await server.app.inject({
    method: 'POST',
    url: '/api/v1/domains',
    headers: server.auth(secret),
    payload: { name: 'Team B' },
  });
  assert.equal(forbidden.statusCode, 403);
  const elsewhere = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: server.auth(secret),
    payload: { name: 'x', role: 'reader', domain_id: 'default' },
  });
  assert.equal(elsewhere.statusCode, 403);

  const revoked = await server.app.inject({
    method: 'DELETE',
    url: `/api/v1/tokens/${id}`,
    headers: server.auth(secret),
  });
  assert.equal(revoked.statusCode, 200);
  const after = await server.app.inject({ url: '/api/v1/whoami', headers: server.auth(secret) });
  assert.equal(after.statusCode, 401);
});

test('bad bodies are 400 naming the field; a reader cannot create tokens', async () => {
  const bad = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: server.auth(),
    payload: { name: 'x', role: 'superuser' },
  });
  assert.equal(bad.statusCode, 400);
  const body = bad.json<{ error: { code: string; details: { problems: { path: string }[] } } }>();
  assert.equal(body.error.code, 'INVALID_ARGUMENT');
  assert.equal(body.error.details.problems[0]?.path, 'body.role');

  const reader = await server.store.createToken({ domainId: 'default', name: 'r', role: 'reader' });
  const denied = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: server.auth(reader.secret),
    payload: { name: 'x', role: 'reader' },
  });
  assert.equal(denied.statusCode, 403);
  assert.equal(denied.json<{ error: { code: string } }>().error.code, 'FORBIDDEN');
});

test('OpenAPI document, docs page and Prometheus metrics are served', async () => {
  const openapi = await server.app.inject({ url: '/api/v1/openapi.json' });
  assert.equal(openapi.statusCode, 200);
  const document = openapi.json<{ openapi: string; paths: Record<string, unknown> }>();
  assert.match(document.openapi, /^3\./);
  assert.ok('/api/v1/tokens' in document.paths && '/api/v1/healthz' in document.paths);
  const docs = await server.app.inject({ url: '/api/v1/docs/' });
  assert.equal(docs.statusCode, 200);
  assert.ok(
    !/https?:\/\/(?!127\.0\.0\.1|localhost)[a-z0-9.-]+\/[^"']*\.(js|css)/.test(docs.body),
    'no assets from a CDN',
  );
  await server.app.inject({ url: '/api/v1/healthz' });
  const metrics = await server.app.inject({ url: '/api/v1/metrics' });
  assert.match(String(metrics.headers['content-type']), /text\/plain/);
  assert.match(
    metrics.body,
    /plugboard_http_requests_total\{method="GET",route="\/api\/v1\/healthz",status="200"\} \d+/,
  );
});

test('an unknown body field is named in the 400', async () => {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/domains',
    headers: server.auth(),
    payload: { name: 'x', colour: 'blue' },
  });
  assert.equal(response.statusCode, 400);
  const body = response.json<{
    error: { details: { problems: { path: string; message: string }[] } };
  }>();
  assert.deepEqual(body.error.details.problems, [
    { path: 'body.colour', message: 'is not allowed here' },
  ]);
});
