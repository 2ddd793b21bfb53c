import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { RegistryClient } from '@plugboard/client';
import { startDownstreamRegistry, type DownstreamRegistry } from '../../helpers/registry-pair.js';

// A remote that is not a well-behaved Plugboard server (a real Fastify server answering odd
// things): nothing it sends passes through unchecked, and its errors are not the caller's.

const GOOD_BYTES = Buffer.from('the bytes the remote lists');
const GOOD_DIGEST = `sha256:${createHash('sha256').update(GOOD_BYTES).digest('hex')}`;
const OTHER_DIGEST = `sha256:${'0'.repeat(64)}`;

let remote: FastifyInstance;
let downstream: DownstreamRegistry;
let registry: RegistryClient;

function detail(name: string) {
  return {
    name,
    repository_type: 'LOCAL',
    repository: { type: 'LOCAL', id: 'local', name: 'local' },
    providers: ['aws', 42],
    labels: 'not a list',
    tags: { ok: 'yes', bad: { nested: true } },
    enabled: true,
    state: 'enabled',
    secret_field: 'must not pass through',
    versions: [
      { version: '1.0.0', yanked: false, digest: GOOD_DIGEST, size: GOOD_BYTES.length },
      { version: 42 },
    ],
    dist_tags: {},
    manifest: { name },
  };
}

before(async () => {
  remote = Fastify({ logger: false });
  remote.get('/api/v1/plugins', async (request) => {
    const query = request.query as Record<string, string>;
    if (query['q'] === 'broken') return { plugins: 'nope' };
    return {
      plugins: [detail('odd'), { name: 17 }, 'junk', detail('spoofed')],
      total: 4,
      page: 1,
      limit: 50,
      warnings: [],
    };
  });
  remote.get('/api/v1/plugins/odd', async () => detail('odd'));
  remote.get('/api/v1/plugins/spoofed', async () => detail('someone-else'));
  remote.get('/api/v1/plugins/locked', async (_request, reply) =>
    reply.status(401).send({ error: { code: 'UNAUTHENTICATED', message: 'bad token' } }),
  );
  // Announces a digest other than the one it listed.
  remote.get('/api/v1/plugins/odd/1.0.0/artifact', async (_request, reply) =>
    reply.header('etag', `"${OTHER_DIGEST}"`).type('application/gzip').send(GOOD_BYTES),
  );
  await remote.listen({ host: '127.0.0.1', port: 0 });
  const address = remote.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  downstream = await startDownstreamRegistry({
    remotes: [{ name: 'odd', endpoint: `http://127.0.0.1:${port}/api/v1`, token: 'pb_odd_token' }],
  });
  registry = new RegistryClient({ url: downstream.url, token: await downstream.token('reader') });
});

after(async () => {
  await downstream.close();
  await remote.close();
});

test('list rows are checked field by field and re-marked REMOTE; unusable rows are dropped', async () => {
  const page = await registry.listPlugins({ repository: 'REMOTE' });
  assert.deepEqual(
    page.plugins.map((p) => p.name),
    ['odd', 'spoofed'],
  );
  const odd = page.plugins[0] as unknown as Record<string, unknown>;
  assert.equal(odd['repository_type'], 'REMOTE');
  assert.deepEqual(odd['providers'], ['aws']);
  assert.deepEqual(odd['labels'], []);
  assert.deepEqual(odd['tags'], { ok: 'yes' });
  assert.equal(odd['secret_field'], undefined);
});

test('a list answer of the wrong shape leaves the remote out with a warning', async () => {
  const page = await registry.listPlugins({ q: 'broken' });
  assert.equal(page.plugins.length, 0);
  assert.match(page.warnings[0] ?? '', /"odd" left out: UNAVAILABLE: .*"plugins" is not a list/);
});

test('a detail for another name than asked is not taken for the plugin', async () => {
  await assert.rejects(registry.getPlugin('spoofed'), { code: 'PLUGIN_NOT_FOUND' });
  const odd = await registry.getPlugin('odd');
  assert.deepEqual(
    odd.versions.map((v) => v.version),
    ['1.0.0'],
  );
});

test("the remote refusing this server's token is UNAVAILABLE, not the caller's 401", async () => {
  await assert.rejects(registry.getPlugin('locked'), (error: Error) => {
    assert.equal((error as Error & { code: string }).code, 'UNAVAILABLE');
    assert.match(error.message, /REMOTE repository "odd": it refused this server's credentials/);
    return true;
  });
});

test('an artifact announced with another digest than listed is refused before reading', async () => {
  await assert.rejects(registry.downloadArtifact('odd', '1.0.0'), (error: Error) => {
    assert.equal((error as Error & { code: string }).code, 'DIGEST_MISMATCH');
    assert.match(error.message, new RegExp(`sent digest ${OTHER_DIGEST}`));
    return true;
  });
  assert.equal(await downstream.blobs.has(GOOD_DIGEST), false);
  assert.equal(await downstream.blobs.has(OTHER_DIGEST), false);
});
