import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import {
  startDownstreamRegistry,
  startUpstreamRegistry,
  type DownstreamRegistry,
  type UpstreamRegistry,
} from '../helpers/registry-pair.js';

// GET/POST/DELETE /repositories on a real downstream server, verifying against a real upstream.

let upstream: UpstreamRegistry;
let downstream: DownstreamRegistry;
let admin: string;
let reader: string;
let otherAdmin: string;
let otherReader: string;

before(async () => {
  upstream = await startUpstreamRegistry();
  await upstream.publish('upstream-plugin', '1.0.0');
  downstream = await startDownstreamRegistry({
    remotes: [
      { name: 'from-config', endpoint: 'http://user:secret@127.0.0.1:9/api/v1/' },
      // A token no HTTP header can carry: the repository fails alone, saying why.
      { name: 'broken-token', endpoint: 'http://127.0.0.1:9/api/v1', token: 'has a space' },
    ],
  });
  admin = await downstream.token('admin');
  reader = await downstream.token('reader');
  otherAdmin = await downstream.token('admin', 'other');
  otherReader = await downstream.token('reader', 'other');
});

after(async () => {
  await downstream.close();
  await upstream.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  token: string | undefined,
  payload?: object,
): Promise<Answer> {
  const response = await downstream.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload }),
  });
  return {
    status: response.statusCode,
    body: response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>),
  };
}

type View = Record<string, unknown>;
const repositories = (answer: Answer) => answer.body['repositories'] as View[];
const errorOf = (answer: Answer) => answer.body['error'] as { code: string; message: string };
const pluginNames = async (token: string) =>
  ((await call('GET', '/plugins', token)).body['plugins'] as View[]).map((p) => p['name']);

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/api/v1`;
}

test('GET lists the built-in repositories and config remotes, without credentials', async () => {
  const answer = await call('GET', '/repositories', reader);
  assert.equal(answer.status, 200);
  assert.deepEqual(
    repositories(answer).map((r) => [r['id'], r['type'], r['priority'], r['origin']]),
    [
      ['local', 'LOCAL', 0, 'builtin'],
      ['managed', 'MANAGED', 100, 'builtin'],
      ['config:broken-token', 'REMOTE', 300, 'config'],
      ['config:from-config', 'REMOTE', 300, 'config'],
    ],
  );
  const remote = repositories(answer).find((r) => r['id'] === 'config:from-config');
  assert.equal(remote?.['endpoint'], 'http://127.0.0.1:9/api/v1', 'credentials stripped');
  assert.equal(remote?.['has_token'], false);
  assert.equal(answer.body['total'], 4);
  assert.ok(!JSON.stringify(answer.body).includes('secret'));
  assert.ok(!JSON.stringify(answer.body).includes('has a space'));
});

test('a misconfigured config remote leaves only itself out of lists, naming the problem', async () => {
  const answer = await call('GET', '/plugins', reader);
  assert.equal(answer.status, 200);
  const warnings = answer.body['warnings'] as string[];
  assert.ok(
    warnings.some((w) => /"broken-token" left out: .*token must be printable ASCII/.test(w)),
    JSON.stringify(warnings),
  );
  assert.ok(!JSON.stringify(answer.body).includes('has a space'));
});

test('anonymous callers see the MANAGED entry only', async () => {
  const answer = await call('GET', '/repositories', undefined);
  assert.equal(answer.status, 200);
  assert.deepEqual(
    repositories(answer).map((r) => r['id']),
    ['managed'],
  );
});

test('POST verifies the remote and adds it to the admin domain only; DELETE removes it', async () => {
  assert.ok(!(await pluginNames(admin)).includes('upstream-plugin'));
  const created = await call('POST', '/repositories', admin, {
    name: 'upstream',
    endpoint: `${upstream.url}/`,
    token: upstream.readerToken,
    priority: 5,
    timeout_ms: 5_000,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body['endpoint'], upstream.url, 'trailing slash removed');
  assert.equal(created.body['has_token'], true);
  assert.equal(created.body['priority'], 205);
  assert.equal(created.body['remote_priority'], 5);
  assert.equal(created.body['origin'], 'api');
  assert.ok(!('token' in created.body));
  assert.ok(
    upstream.requests.some((r) => r.startsWith('GET /api/v1/healthz')),
    'verified with /healthz',
  );
  const id = String(created.body['id']);

  const listed = await call('GET', '/repositories', reader);
  assert.ok(repositories(listed).some((r) => r['id'] === id && r['has_token'] === true));
  assert.ok((await pluginNames(reader)).includes('upstream-plugin'), 'its plugins are listed');

  // Another domain sees neither the repository nor its plugins, and cannot delete it.
  const other = await call('GET', '/repositories', otherReader);
  assert.ok(!repositories(other).some((r) => r['id'] === id));
  assert.ok(!(await pluginNames(otherReader)).includes('upstream-plugin'));
  assert.equal((await call('DELETE', `/repositories/${id}`, otherAdmin)).status, 404);

  assert.equal((await call('DELETE', `/repositories/${id}`, admin)).status, 204);
  assert.ok(!(await pluginNames(reader)).includes('upstream-plugin'), 'gone at once');
  const again = await call('DELETE', `/repositories/${id}`, admin);
  assert.equal(again.status, 404);
  assert.equal(errorOf(again).code, 'NOT_FOUND');
});

test('a token the remote refuses is a 400 naming the token field, never echoing it', async () => {
  const wrongToken = 'pb_this_token_is_wrong_0000000000';
  const answer = await call('POST', '/repositories', admin, {
    name: 'wrong-token',
    endpoint: upstream.url,
    token: wrongToken,
  });
  assert.equal(answer.status, 400);
  assert.equal(errorOf(answer).code, 'INVALID_ARGUMENT');
  assert.match(errorOf(answer).message, /^token: .*refused the token/);
  assert.ok(!JSON.stringify(answer.body).includes(wrongToken));
});

test('an endpoint that does not answer is refused unless ?verify=false', async () => {
  const dead = await closedPortUrl();
  const refused = await call('POST', '/repositories', admin, { name: 'dead', endpoint: dead });
  assert.equal(refused.status, 400);
  assert.match(errorOf(refused).message, /^endpoint: .*did not answer \/healthz.*verify=false/);
  const stored = await call('POST', '/repositories?verify=false', admin, {
    name: 'dead',
    endpoint: dead,
  });
  assert.equal(stored.status, 201);
  // A dead remote of the domain only adds a warning to its lists.
  const list = await call('GET', '/plugins', reader);
  assert.equal(list.status, 200);
  assert.ok((list.body['warnings'] as string[]).some((w) => w.includes('"dead" left out')));
  const duplicate = await call('POST', '/repositories?verify=false', admin, {
    name: 'dead',
    endpoint: dead,
  });
  assert.equal(duplicate.status, 409);
  assert.equal(errorOf(duplicate).code, 'ALREADY_EXISTS');
  assert.equal(
    (await call('DELETE', `/repositories/${String(stored.body['id'])}`, admin)).status,
    204,
  );
});

test('bad bodies are 400 naming the field', async () => {
  const cases: [object, RegExp][] = [
    [{ name: 'x', endpoint: 'ftp://example.com/api/v1' }, /endpoint/],
    [
      { name: 'x', endpoint: 'http://user:pw@example.com/api/v1' },
      /endpoint must not carry credentials/,
    ],
    [{ name: 'x', endpoint: 'http://example.com/api/v1?x=1' }, /endpoint must not have a query/],
    [{ name: '', endpoint: 'http://example.com/api/v1' }, /name/],
    [{ name: 'x', endpoint: 'http://example.com/api/v1', timeout_ms: 0 }, /timeout_ms/],
    [{ name: 'x', endpoint: 'http://example.com/api/v1', token: 'two words' }, /token/],
    [{ name: 'x', endpoint: 'http://example.com/api/v1', extra: 1 }, /extra|additional/],
  ];
  for (const [body, message] of cases) {
    const answer = await call('POST', '/repositories?verify=false', admin, body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.match(errorOf(answer).message, message);
    assert.ok(!JSON.stringify(answer.body).includes('two words'), 'a token is never echoed');
  }
});

test('only admins change repositories; built-in and config entries cannot be deleted', async () => {
  const body = { name: 'nope', endpoint: upstream.url };
  assert.equal((await call('POST', '/repositories', reader, body)).status, 403);
  assert.equal((await call('POST', '/repositories', undefined, body)).status, 401);
  assert.equal((await call('DELETE', '/repositories/repo-x', reader)).status, 403);
  const builtIn = await call('DELETE', '/repositories/local', admin);
  assert.equal(builtIn.status, 403);
  assert.match(errorOf(builtIn).message, /built in/);
  const fromConfig = await call('DELETE', '/repositories/config:from-config', admin);
  assert.equal(fromConfig.status, 403);
  assert.match(errorOf(fromConfig).message, /config file/);
  const clash = await call('POST', '/repositories?verify=false', admin, {
    name: 'from-config',
    endpoint: upstream.url,
  });
  assert.equal(clash.status, 409);
});

test('no response carried the upstream token', () => {
  const leaks = downstream.responseBodies.filter((body) => body.includes(upstream.readerToken));
  assert.deepEqual(leaks, []);
});
