import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ADMIN_TOKEN,
  startUpstreamRegistry,
  type UpstreamRegistry,
} from '../../helpers/registry-pair.js';

// Two real servers on 127.0.0.1, each added through the API as the other's REMOTE repository.
// Without the hop guard every read would bounce between them until the remote timeout.

let alpha: UpstreamRegistry;
let beta: UpstreamRegistry;
let alphaId: string;
let betaId: string;

async function call(
  registry: UpstreamRegistry,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${registry.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${registry.readerToken}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as never) };
}

async function addRemote(to: UpstreamRegistry, other: UpstreamRegistry, name: string) {
  // Verified: the check's own calls carry the header too.
  const added = await call(to, '/repositories', {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    body: { name, endpoint: other.url, token: other.readerToken, timeout_ms: 30_000 },
  });
  assert.equal(added.status, 201, JSON.stringify(added.body));
}

before(async () => {
  alpha = await startUpstreamRegistry();
  beta = await startUpstreamRegistry();
  await alpha.publish('alpha-only', '1.0.0');
  await beta.publish('beta-only', '1.2.0');
  await beta.publish('beta-only', '1.3.0');
  alphaId = await alpha.store.registryId();
  betaId = await beta.store.registryId();
  await addRemote(alpha, beta, 'beta');
  await addRemote(beta, alpha, 'alpha');
});

after(async () => {
  await alpha.close();
  await beta.close();
});

function resetRecords(): void {
  for (const registry of [alpha, beta]) {
    registry.requests.length = 0;
    registry.viaHeaders.length = 0;
  }
}

test('each server has its own stable id', () => {
  assert.match(alphaId, /^reg-/);
  assert.notEqual(alphaId, betaId);
});

test("mutual remotes list each other's plugins without looping or warnings", async () => {
  resetRecords();
  const fromAlpha = await call(alpha, '/plugins');
  assert.equal(fromAlpha.status, 200);
  const plugins = fromAlpha.body['plugins'] as { name: string; repository_type: string }[];
  assert.deepEqual(
    plugins.map((plugin) => [plugin.name, plugin.repository_type]),
    [
      ['alpha-only', 'LOCAL'],
      ['beta-only', 'REMOTE'],
    ],
  );
  assert.equal(fromAlpha.body['total'], 2);
  assert.deepEqual(fromAlpha.body['warnings'], []);
  // alpha asked beta (path: alpha); beta asked alpha (path: alpha, beta), which stopped there.
  assert.deepEqual(beta.viaHeaders, [alphaId]);
  assert.deepEqual(alpha.viaHeaders, [`${alphaId}, ${betaId}`]);

  const fromBeta = await call(beta, '/plugins');
  assert.deepEqual(
    (fromBeta.body['plugins'] as { name: string; repository_type: string }[]).map((p) => [
      p.name,
      p.repository_type,
    ]),
    [
      ['alpha-only', 'REMOTE'],
      ['beta-only', 'LOCAL'],
    ],
  );
  assert.deepEqual(fromBeta.body['warnings'], []);
});

test('get and resolve go through the remote once and answer', async () => {
  resetRecords();
  const detail = await call(alpha, '/plugins/beta-only');
  assert.equal(detail.status, 200);
  assert.equal(detail.body['repository_type'], 'REMOTE');
  const resolved = await call(alpha, '/plugins/beta-only/resolve?spec=%5E1.2');
  assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
  assert.equal(resolved.body['version'], '1.3.0');
  // No request ever went round more than once.
  for (const via of [...alpha.viaHeaders, ...beta.viaHeaders]) {
    assert.ok(via.split(', ').length <= 2, via);
  }
});

test('a name neither has is a prompt 404, not a bounce between the two', async () => {
  resetRecords();
  const missing = await call(alpha, '/plugins/nowhere-to-be-found');
  assert.equal(missing.status, 404);
  assert.equal((missing.body['error'] as { code: string }).code, 'PLUGIN_NOT_FOUND');
  assert.deepEqual(beta.viaHeaders, [alphaId]);
  assert.deepEqual(alpha.viaHeaders, [`${alphaId}, ${betaId}`]);
});

test('a request that already passed too many servers is answered from LOCAL and MANAGED only', async () => {
  resetRecords();
  const longPath = Array.from({ length: 8 }, (_, index) => `reg-elsewhere-${index}`).join(', ');
  const answer = await call(alpha, '/plugins', { headers: { 'plugboard-via': longPath } });
  assert.deepEqual(
    (answer.body['plugins'] as { name: string }[]).map((plugin) => plugin.name),
    ['alpha-only'],
  );
  assert.deepEqual(beta.requests, []);

  const shortPath = await call(alpha, '/plugins', { headers: { 'plugboard-via': 'reg-other' } });
  assert.equal(shortPath.body['total'], 2);
  assert.deepEqual(beta.viaHeaders, [`reg-other, ${alphaId}`]);
});
